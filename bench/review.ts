/**
 * The review page at a million rows: seeds 1,000,000 transfers (5,000 customers) for one company and
 * 10,000 (500 customers) for another, with their transfer_customers, on a fresh database of
 * DATABASE_URL's server (created and dropped here), then times the
 * exact query functions the page runs (lib/review), p50/p99 over BENCH_RUNS runs each, for both
 * companies, and writes EXPLAIN (ANALYZE, BUFFERS) of every query to bench/results/review-explain.txt.
 *
 *   npm run bench:review        BENCH_ROWS=200000 BENCH_RUNS=50 npm run bench:review
 *
 * Goal: p99 ≤ 150 ms for every query at 1M rows, and p50(1M) / p50(10k) ≤ 2.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type SQL, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { companies, memberships, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { encodeCursor } from "@/lib/review/cursor";
import type { ReviewFilters } from "@/lib/review/filters";
import {
  countTransfersByStatus,
  listTransfers,
  listTransfersQuery,
  REVIEW_PAGE_SIZE,
  STATUS_COUNT_CAP,
  statusCountsQuery,
} from "@/lib/review/queries";
import { createTestDb } from "@/test/support/db";
import {
  benchPort,
  ensureBuild,
  loadAverage,
  percentiles,
  printSettings,
  printTable,
  sampleNote,
  signIn,
  sizeFromEnv,
  startServer,
} from "./support";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
const BIG = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SMALL = Number(process.env.BENCH_SMALL_ROWS ?? 10_000);
const RUNS = sizeFromEnv("BENCH_RUNS", 30);
/** GET /review requests over HTTP (one at a time, after 20 warm-up requests). */
const HTTP_RUNS = sizeFromEnv("BENCH_HTTP_RUNS", 1000);
const WARMUP = 3;
const DEEP_PAGES = 1000;
const P99_GOAL_MS = 150;
const RATIO_GOAL = 2;

const FIRST = [
  "Jens",
  "Anne",
  "Lars",
  "Mette",
  "Søren",
  "Hanne",
  "Peter",
  "Lone",
  "Niels",
  "Birgit",
  "Ole",
  "Kirsten",
  "Henrik",
  "Susanne",
  "Morten",
  "Camilla",
  "Jørgen",
  "Pia",
  "Rasmus",
  "Ida",
];
const LAST = [
  "Hansen",
  "Jensen",
  "Nielsen",
  "Pedersen",
  "Andersen",
  "Christensen",
  "Larsen",
  "Sørensen",
  "Rasmussen",
  "Jørgensen",
  "Petersen",
  "Madsen",
  "Kristensen",
  "Olsen",
  "Thomsen",
  "Christiansen",
  "Poulsen",
  "Johansen",
  "Møller",
  "Mortensen",
];
const TRADE = [
  "Bageri",
  "VVS",
  "Tømrer",
  "Auto",
  "Blomster",
  "Cykler",
  "El-service",
  "Maskiner",
  "Kaffe",
  "Design",
];
const FORM = [" ApS", " A/S", " I/S", ""];
/** Distinct customers of the large and the small company. */
const BIG_CUSTOMERS = 5000;
const SMALL_CUSTOMERS = 500;

const textArray = (values: string[]) =>
  sql.raw(`array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`);

/**
 * Bulk-seeds one company's transfers in one statement. Realistic shapes: two years of history in
 * insertion order, `customers` customers Zipf-like (a few big ones, a long tail), each named from
 * a hash of its number (so every size of company has its Hansens and its Møller VVS), 83 % booked, 12 % drafts,
 * 2 % failed, 3 % skipped, the newest few queued or processing, 10 % without order number,
 * amounts 50..50,000 in DKK (90 %), EUR and SEK, a Rackbeat invoice and a plan as jsonb.
 */
async function seed(
  db: Db,
  companyId: string,
  rows: number,
  customers: number,
  invoiceBase: number,
): Promise<void> {
  await db.execute(sql`
    insert into transfers (id, company_id, rackbeat_invoice_number, status, attempts, next_attempt_at,
      last_error, skip_reason, invoice, plan, economic_draft_number, economic_booked_number, sent_by,
      order_number, customer_number, customer_name, invoice_date, currency, net_amount,
      economic_net_amount, amount_mismatch, created_at, updated_at)
    select gen_random_uuid(), ${companyId}::uuid, (${invoiceBase} + g)::text, st.status::transfer_status,
      case when st.status = 'failed' then 1 + (g % 5) else 1 end,
      case when st.status = 'failed' and g % 3 = 0 then ts + interval '10 minutes' end,
      case when st.status = 'failed' then jsonb_build_object('code', 'economic_validation', 'line', 1 + g % 3,
        'field', 'unitNetPrice', 'params', jsonb_build_object('errorCode', 'E04740', 'message', 'too many decimals')) end,
      case when st.status = 'skipped' then 'debtor_integration_off' end,
      jsonb_build_object('number', (${invoiceBase} + g)::text, 'customer_id', c.n, 'currency', cur.code,
        'date', ts::date, 'total_subtotal', amt.v, 'is_booked', true,
        'customer', jsonb_build_object('number', c.n, 'company_name', c.name, 'vat_zone', 1, 'currency', cur.code,
          'contact_email', 'kunde' || c.n || '@example.dk'),
        'lines', jsonb_build_array(
          jsonb_build_object('child_id', 'P-' || (g % 300), 'child_type', 'product', 'name', 'Vare ' || (g % 300),
            'quantity', 1 + g % 7, 'line_price', round(amt.v / (1 + g % 7), 2), 'discount_percentage', 0),
          jsonb_build_object('child_id', 'FRAGT', 'child_type', 'product', 'name', 'Fragt', 'quantity', 1,
            'line_price', 0, 'discount_percentage', 0))),
      jsonb_build_object('kind', 'transfer', 'book', st.status = 'booked', 'sendBy', 'none',
        'externalId', 'SO-' || (${invoiceBase} + g), 'expectedNetAmount', amt.v::text),
      case when st.status in ('draft', 'booked') then g end,
      case when st.status = 'booked' then ${invoiceBase} + g end,
      case when st.status = 'booked' then (case when g % 10 = 0 then 'ean' when g % 4 = 0 then 'email' else 'none' end) end,
      case when g % 10 <> 0 then 'SO-' || (${invoiceBase} + g) end,
      c.n::text, c.name, ts::date, cur.code, amt.v,
      case when st.status in ('draft', 'booked') then amt.v + case when g % 500 = 0 then 0.01 else 0 end end,
      st.status in ('draft', 'booked') and g % 500 = 0,
      ts, ts + interval '3 seconds'
    from generate_series(1, ${rows}) g
    cross join lateral (select now() - interval '730 days' * (${rows} - g)::float8 / ${rows}
      + interval '1 second' * (g % 7) as ts) t
    cross join lateral (select case
        when g > ${rows} - 3 then 'queued' when g > ${rows} - 5 then 'processing'
        when hashint(g, 1) < 0.02 then 'failed' when hashint(g, 1) < 0.05 then 'skipped'
        when hashint(g, 1) < 0.17 then 'draft' else 'booked' end as status) st
    cross join lateral (select 10000 + floor(${customers} * power(hashint(g, 2), 3))::int as n) cn
    cross join lateral (select cn.n as n,
        (${textArray(FIRST)})[1 + floor(20 * hashint(cn.n, 11))::int] || ' '
        || (${textArray(LAST)})[1 + floor(20 * hashint(cn.n, 12))::int] || ' '
        || (${textArray(TRADE)})[1 + floor(10 * hashint(cn.n, 13))::int]
        || (${textArray(FORM)})[1 + floor(4 * hashint(cn.n, 14))::int] as name) c
    cross join lateral (select case when g % 10 < 9 then 'DKK' when g % 20 = 9 then 'EUR' else 'SEK' end as code) cur
    cross join lateral (select round((50 + 49950 * power(hashint(g, 3), 2))::numeric, 2) as v) amt`);
}

/**
 * What recordInvoice keeps for the review search by name: every (customer number, name) on the
 * company's transfers, last seen at its newest transfer.
 */
async function seedCustomers(db: Db, companyId: string): Promise<void> {
  await db.execute(sql`insert into transfer_customers (company_id, customer_number, customer_name, last_seen_at)
    select company_id, customer_number, customer_name, max(created_at) from transfers
    where company_id = ${companyId}::uuid and customer_number is not null and customer_name is not null
    group by company_id, customer_number, customer_name`);
}

/** A deterministic uniform [0, 1) per (g, salt), so the seed is repeatable. */
const HASHINT = sql`create or replace function hashint(g bigint, salt int) returns float8 language sql immutable
  as $$ select ((hashtextextended(g::text, salt) & 2147483647)::float8 / 2147483648.0) $$`;

interface Scenario {
  name: string;
  filters: ReviewFilters;
}

interface Timing {
  p50: number;
  p99: number;
}

/**
 * Times the large and the small company's call in alternation, so drift on a shared machine
 * (another process's build, caches warming) falls on both sides alike.
 */
async function timePair(calls: [() => Promise<unknown>, () => Promise<unknown>]): Promise<[Timing, Timing]> {
  for (let i = 0; i < WARMUP; i++) for (const call of calls) await call();
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    for (const side of [0, 1] as const) {
      const t0 = performance.now();
      await calls[side]();
      samples[side].push(performance.now() - t0);
    }
  }
  return [percentiles(samples[0]), percentiles(samples[1])];
}

/** The cursor a reader holds after `pages` pages (the bench may use OFFSET to find it; the page never does). */
async function cursorAfter(
  db: Db,
  companyId: string,
  pages: number,
  filters: ReviewFilters = {},
): Promise<string> {
  const [row] = rowsOf<{ id: string; created_at: string }>(
    await db.execute(sql`select id::text as id, to_char(created_at at time zone 'UTC',
      'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at from transfers
      where company_id = ${companyId}::uuid ${filters.status ? sql`and status = ${filters.status}::transfer_status` : sql``}
      order by created_at desc, id desc offset ${pages * REVIEW_PAGE_SIZE - 1} limit 1`),
  );
  if (!row) throw new Error("not enough rows for the deep page");
  return encodeCursor({ createdAt: row.created_at, id: row.id });
}

async function scenariosFor(db: Db, companyId: string, rows: number): Promise<Scenario[]> {
  const pick = async <T>(query: SQL) => rowsOf<T>(await db.execute(query))[0];
  // Probes from the middle of the history, so a search is not answered by the newest rows alone.
  const probe = await pick<{
    inv: string;
    ord: string;
    cust: string;
  }>(sql`select rackbeat_invoice_number as inv,
    order_number as ord, customer_number as cust from transfers where company_id = ${companyId}::uuid
    and order_number is not null order by created_at desc offset ${Math.floor(rows / 2)} limit 1`);
  const bigCustomer = await pick<{ cust: string }>(sql`select customer_number as cust from transfers
    where company_id = ${companyId}::uuid and customer_number = '10000' limit 1`);
  if (!probe) throw new Error("no probe row");
  const deepPages = Math.min(DEEP_PAGES, Math.floor((rows - 1) / REVIEW_PAGE_SIZE));
  const deep = await cursorAfter(db, companyId, deepPages);
  const { decodeCursor } = await import("@/lib/review/cursor");
  const year = new Date().getUTCFullYear() - 1;
  return [
    { name: "first page", filters: {} },
    { name: `page ${deepPages + 1} by cursor`, filters: { cursor: decodeCursor(deep) ?? undefined } },
    ...(["queued", "processing", "draft", "booked", "failed", "skipped"] as const).map((status) => ({
      name: `status ${status}`,
      filters: { status },
    })),
    { name: "received in a month, a year ago", filters: { from: `${year}-03-01`, to: `${year}-03-31` } },
    {
      name: "month + status failed",
      filters: { from: `${year}-03-01`, to: `${year}-03-31`, status: "failed" },
    },
    { name: "search invoice number", filters: { q: probe.inv } },
    { name: "search order number", filters: { q: probe.ord } },
    { name: "search customer number (mid)", filters: { q: probe.cust } },
    { name: "search customer number (biggest)", filters: { q: bigCustomer?.cust ?? "10000" } },
    { name: "search name fragment 'hansen'", filters: { q: "hansen" } },
    { name: "search name fragment 'møller vvs'", filters: { q: "møller vvs" } },
    { name: "search no match 'zzqx'", filters: { q: "zzqx" } },
    { name: "search 'hansen' + status failed", filters: { q: "hansen", status: "failed" } },
  ];
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}
const ms = (n: number) => n.toFixed(1).padStart(7);

async function main() {
  const handle = await createTestDb("postgres");
  const { db } = handle;
  const explain: string[] = [];
  try {
    const [big, small] = await db
      .insert(companies)
      .values([{ name: "Stor ApS" }, { name: "Lille ApS" }])
      .returning();
    if (!big || !small) throw new Error("companies not created");
    await db.execute(HASHINT);
    // Indexes are dropped for the bulk insert and rebuilt after: the same indexes, built once.
    const indexes = rowsOf<{ indexname: string; indexdef: string }>(
      await db.execute(sql`select indexname, indexdef from pg_indexes where tablename = 'transfers'
        and indexname <> 'transfers_pkey'`),
    );
    for (const index of indexes) await db.execute(sql.raw(`drop index ${index.indexname}`));
    const t0 = performance.now();
    await seed(db, big.id, BIG, BIG_CUSTOMERS, 100_000);
    await seed(db, small.id, SMALL, SMALL_CUSTOMERS, 100_000);
    const t1 = performance.now();
    await db.execute(sql`set maintenance_work_mem = '256MB'`);
    for (const index of indexes) await db.execute(sql.raw(index.indexdef));
    for (const company of [big, small]) await seedCustomers(db, company.id);
    const t2 = performance.now();
    await db.execute(sql`vacuum analyze transfers`);
    await db.execute(sql`vacuum analyze transfer_customers`);
    const t3 = performance.now();
    const size = rowsOf<{ table: string; indexes: string; customers: string }>(
      await db.execute(sql`select pg_size_pretty(pg_table_size('transfers')) as table,
        pg_size_pretty(pg_indexes_size('transfers')) as indexes,
        (select string_agg(n::text, ' + ' order by n desc) from (select count(*) as n from transfer_customers
          group by company_id) x) as customers`),
    )[0];
    console.log(
      `seeded ${BIG.toLocaleString("da-DK")} + ${SMALL.toLocaleString("da-DK")} transfers: insert ${((t1 - t0) / 1000).toFixed(1)} s, ` +
        `indexes and customers ${((t2 - t1) / 1000).toFixed(1)} s, vacuum analyze ${((t3 - t2) / 1000).toFixed(1)} s; ` +
        `table ${size?.table}, indexes ${size?.indexes}; customers ${size?.customers}`,
    );

    const companiesToTime = [
      { label: `${BIG / 1000}k`, id: big.id, rows: BIG },
      { label: `${SMALL / 1000}k`, id: small.id, rows: SMALL },
    ];
    const [bigScenarios, smallScenarios] = await Promise.all(
      companiesToTime.map((c) => scenariosFor(db, c.id, c.rows)),
    );
    const jobs: Array<{ name: string; calls: [() => Promise<unknown>, () => Promise<unknown>] }> = [];
    bigScenarios!.forEach((scenario, i) => {
      const other = smallScenarios![i]!;
      // The deep scenario's name depends on the company's size; report it under one name.
      const name = scenario.name.startsWith("page ") ? "deep page by cursor" : scenario.name;
      jobs.push({
        name,
        calls: [
          () => listTransfers(db, big.id, scenario.filters),
          () => listTransfers(db, small.id, other.filters),
        ],
      });
    });
    jobs.push({
      name: "counts per status",
      calls: [() => countTransfersByStatus(db, big.id), () => countTransfersByStatus(db, small.id)],
    });
    jobs.push({
      name: "whole page (list + counts)",
      calls: [
        () => Promise.all([listTransfers(db, big.id, {}), countTransfersByStatus(db, big.id)]),
        () => Promise.all([listTransfers(db, small.id, {}), countTransfersByStatus(db, small.id)]),
      ],
    });
    const results = new Map<string, [Timing, Timing]>();
    for (const job of jobs) results.set(job.name, await timePair(job.calls));

    for (const [c, scenarios] of [
      [companiesToTime[0]!, bigScenarios!],
      [companiesToTime[1]!, smallScenarios!],
    ] as const) {
      for (const scenario of scenarios) {
        const plan = rowsOf<{ "QUERY PLAN": string }>(
          await db.execute(
            sql`explain (analyze, buffers) ${listTransfersQuery(c.id, scenario.filters, REVIEW_PAGE_SIZE + 1)}`,
          ),
        );
        explain.push(
          `### ${c.label}: ${scenario.name}  ${JSON.stringify(scenario.filters)}`,
          ...plan.map((r) => r["QUERY PLAN"]),
          "",
        );
      }
      const countPlan = rowsOf<{ "QUERY PLAN": string }>(
        await db.execute(sql`explain (analyze, buffers) ${statusCountsQuery(c.id, STATUS_COUNT_CAP)}`),
      );
      explain.push(
        `### ${c.label}: counts per status (cap ${STATUS_COUNT_CAP})`,
        ...countPlan.map((r) => r["QUERY PLAN"]),
        "",
      );
    }

    const [bigLabel, smallLabel] = companiesToTime.map((c) => c.label) as [string, string];
    const header = `${pad("query", 36)} ${pad(`${bigLabel} p50`, 9)}${pad(`${bigLabel} p99`, 9)}${pad(`${smallLabel} p50`, 9)}${pad(`${smallLabel} p99`, 9)} ratio p50  ok`;
    console.log(
      `\n${RUNS} runs each (after ${WARMUP} warm-up runs), milliseconds; deep page = ${DEEP_PAGES} pages (${smallLabel}: its last page)`,
    );
    console.log(header);
    console.log("-".repeat(header.length));
    let failures = 0;
    for (const [name, [b, s]] of results) {
      const ratio = b.p50 / Math.max(s.p50, 0.001);
      const ok = b.p99 <= P99_GOAL_MS && ratio <= RATIO_GOAL;
      if (!ok) failures++;
      console.log(
        `${pad(name, 36)} ${ms(b.p50)}  ${ms(b.p99)}  ${ms(s.p50)}  ${ms(s.p99)}  ${ratio.toFixed(2).padStart(6)}    ${ok ? "✓" : "✗"}`,
      );
    }
    console.log(
      `\ngoal: p99 ≤ ${P99_GOAL_MS} ms at ${bigLabel} and p50 ratio ${bigLabel}/${smallLabel} ≤ ${RATIO_GOAL}: ` +
        (failures === 0
          ? "met for every query"
          : `${failures} quer${failures === 1 ? "y misses" : "ies miss"} it`),
    );
    const out = path.join(process.cwd(), "bench/results/review-explain.txt");
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${explain.join("\n")}\n`);
    console.log(`EXPLAIN (ANALYZE, BUFFERS) of every query: ${path.relative(process.cwd(), out)}`);
    console.log(`${loadAverage()}${sampleNote(RUNS)}`);
    await timeOverHttp(handle.url!, db, [
      { label: bigLabel, id: big.id, query: results.get("whole page (list + counts)")![0] },
      { label: smallLabel, id: small.id, query: results.get("whole page (list + counts)")![1] },
    ]);
  } finally {
    await handle.close();
  }
}

/**
 * `GET /review` of the production server (next start on this database) with a signed-in session
 * of each company's admin, next to the page's queries alone (list + counts, timed above).
 */
async function timeOverHttp(
  url: string,
  db: Db,
  targets: { label: string; id: string; query: Timing }[],
): Promise<void> {
  ensureBuild();
  const secrets = {
    AUTH_SECRET: "bench-review-auth-secret-0123456789abcdef",
    ENCRYPTION_KEY: "bench-review-encryption-key-0123456789ab",
  };
  printSettings("\nGET /review: next start", [
    { name: "AUTH_SECRET", value: "<bench value>", why: "required in production" },
    { name: "ENCRYPTION_KEY", value: "<bench value>", why: "required in production" },
    { name: "WORKER", value: "0", why: "no transfer is due; nothing but the page runs" },
  ]);
  const server = await startServer(await benchPort(1), { DATABASE_URL: url, WORKER: "0", ...secrets });
  try {
    const rows: Record<string, string>[] = [];
    for (const target of targets) {
      const email = `review-${target.label}@bench.example`;
      const password = "bench-review-password";
      const [user] = await db
        .insert(users)
        .values({ email, name: "Bench Admin", passwordHash: await hashPassword(password) })
        .returning();
      await db.insert(memberships).values({ userId: user!.id, companyId: target.id, role: "admin" });
      const cookie = await signIn(server.url, email, password);
      const get = async () => {
        const res = await fetch(`${server.url}/review`, { headers: { cookie }, redirect: "manual" });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`GET /review answered ${res.status}`);
        return text.length;
      };
      for (let i = 0; i < 20; i++) await get();
      const samples: number[] = [];
      for (let i = 0; i < HTTP_RUNS; i++) {
        const t0 = performance.now();
        await get();
        samples.push(performance.now() - t0);
      }
      const p = percentiles(samples);
      rows.push({
        company: target.label,
        "GET /review p50": ms(p.p50).trim(),
        "GET /review p99": ms(p.p99).trim(),
        requests: String(p.n),
        "queries alone p50": ms(target.query.p50).trim(),
        "queries alone p99": ms(target.query.p99).trim(),
        "page minus queries p50": ms(p.p50 - target.query.p50).trim(),
        load: loadAverage(),
      });
      if (p.n < 1000) console.log(`GET /review ${target.label}:${sampleNote(p.n)}`);
    }
    console.log("");
    printTable(rows);
  } catch (error) {
    console.error(`server output:\n${server.output()}`);
    throw error;
  } finally {
    await server.stop();
  }
}

await main();
