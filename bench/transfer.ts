/**
 * Transfer engine benchmark: BENCH_INVOICES (default 2,000) invoices over 100 customers and 300
 * products, booked mode, through the real path (Rackbeat sandbox booking → webhook → intake →
 * worker → e-conomic sandbox), with the e-conomic sandbox at 0 ms and at 50 ms added latency, in
 * two scenarios (BENCH_SCENARIOS, default both):
 *   new       e-conomic has none of the customers and products: 400 records are created (one call
 *             each after priming), so 2 + 400/2000 = 2.2 calls per invoice is this scenario's floor.
 *   existing  e-conomic already has them all (seeded through its API before the run): priming lists
 *             them, and the invoices cost 2 calls each: master data amortised.
 *
 *   npx tsx --conditions=react-server bench/transfer.ts
 *   BENCH_INVOICES=300 BENCH_SCENARIOS=existing BENCH_LATENCIES=0 DATABASE_URL=postgres://... npx tsx --conditions=react-server bench/transfer.ts
 *
 * Runs in-process on one `serve()` server with a fresh database (a new Postgres database when
 * DATABASE_URL is set, else in-memory PGlite). Prints a table: invoices/s, e-conomic calls per
 * invoice (goal ≤ 2.1 with master data amortised; 2 is the floor: draft + booking), how the
 * master-data calls split, how many invoices cost exactly 2, p50/p99 from webhook received to
 * booked, peak RSS.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { economicCalls, transfers } from "@/db/schema";
import { createTransferProcessor } from "@/lib/transfer/run";
import { startWorker } from "@/lib/transfer/worker";
import { createTestDb } from "@/test/support/db";
import { startSandboxes } from "@/test/support/sandboxes";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 2000);
const CUSTOMERS = 100;
const PRODUCTS = 300;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCIES = (process.env.BENCH_LATENCIES ?? "0,50").split(",").map(Number);
type Scenario = "new" | "existing";
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? "new,existing")
  .split(",")
  .map((s) => s.trim())
  .filter((s): s is Scenario => s === "new" || s === "existing");

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
sampler.unref();

/** A deterministic pseudo-random sequence, so runs compare. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

type Row = Record<string, string>;

function printTable(rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  console.log("");
  console.log(line(columns));
  console.log(
    `|${widths.map((w, i) => (i < 2 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
  );
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? "")));
  console.log(
    "\ncalls/inv: all e-conomic calls of the run per invoice (floor 2: draft + booking); md = master data (list = priming)." +
      `\nscenario new: ${CUSTOMERS + PRODUCTS} records created once, floor 2 + ${CUSTOMERS + PRODUCTS}/${INVOICES} = ${(2 + (CUSTOMERS + PRODUCTS) / INVOICES).toFixed(3)}.`,
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
  const testDb = await createTestDb(kind);
  const db = testDb.db;
  const sandboxes = await startSandboxes(db, { webhookRetryDelaysMs: [500, 2000, 8000] });
  console.log(
    `transfer benchmark: ${INVOICES} invoices, ${CUSTOMERS} customers, ${PRODUCTS} products, booked, ${kind}, worker concurrency ${CONCURRENCY}`,
  );
  const results: Row[] = [];
  try {
    for (const scenario of SCENARIOS)
      for (const latency of LATENCIES) {
        const company = await sandboxes.createCompany({ settings: { bookWhenBookedInRackbeat: true } });
        const random = seeded(42 + latency);
        await inBatches(
          Array.from({ length: CUSTOMERS }, (_, i) => i),
          20,
          (i) =>
            company.rackbeatPost("/customers", {
              number: 20_001 + i,
              company_name: `Kunde ${i + 1} ApS`,
              currency: "DKK",
              vat_zone: 1,
              group: { number: 1 + (i % 4) },
              payment_terms: { number: 1 + (i % 3) },
              contact_email: `kunde${i + 1}@example.com`,
              address_street: `Vej ${i + 1}`,
              address_zipcode: "8000",
              address_city: "Aarhus C",
              address_country: "DK",
            }),
        );
        await inBatches(
          Array.from({ length: PRODUCTS }, (_, i) => i),
          20,
          (i) =>
            company.rackbeatPost("/products", {
              number: `B-${String(i + 1).padStart(4, "0")}`,
              name: `Vare ${i + 1}`,
              group: { number: 1 + (i % 3) },
              sales_price: (10 + (i % 97) * 1.25).toFixed(2),
              unit: i % 5 === 0 ? "kg" : "stk",
            }),
        );
        if (scenario === "existing") {
          // Master data kept in e-conomic before the integration starts; not counted (not a transfer's call).
          await company.seedEconomicMasterData({
            customers: Array.from({ length: CUSTOMERS }, (_, i) => 20_001 + i),
            products: Array.from({ length: PRODUCTS }, (_, i) => `B-${String(i + 1).padStart(4, "0")}`),
          });
        }
        // Invoices are created up front (not booked), so the measured run is webhook → booked only.
        const numbers: string[] = [];
        await inBatches(
          Array.from({ length: INVOICES }, (_, i) => i),
          20,
          async () => {
            const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
              child_id: `B-${String(1 + Math.floor(random() * PRODUCTS)).padStart(4, "0")}`,
              quantity: 1 + Math.floor(random() * 10),
            }));
            numbers.push(
              await company.createInvoice({ customer_id: 20_001 + Math.floor(random() * CUSTOMERS), lines }),
            );
          },
        );
        if (latency > 0) await company.setFaults({ delayMs: latency });

        const worker = startWorker({
          db: async () => db,
          processor: createTransferProcessor({ mailer: null }),
          concurrency: CONCURRENCY,
          perCompanyLimit: CONCURRENCY,
          pollMs: 100,
          urls: sandboxes.urls,
          retryPolicy: { baseDelayMs: 200, maxDelayMs: 2000 },
        });
        peakRss = process.memoryUsage().rss;
        const started = performance.now();
        await inBatches(numbers, 32, (n) => company.book(n));
        for (;;) {
          const [row] = await db
            .select({ n: count() })
            .from(transfers)
            .where(
              and(
                eq(transfers.companyId, company.companyId),
                sql`${transfers.status} in ('booked', 'failed', 'skipped', 'draft')`,
                sql`${transfers.nextAttemptAt} is null`,
              ),
            );
          if (Number(row?.n ?? 0) >= INVOICES) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        const seconds = (performance.now() - started) / 1000;
        await worker.stop();
        await company.clearFaults();

        const statuses = rowsOf<{ status: string; n: number }>(
          await db.execute(
            sql`select status::text as status, count(*)::int as n from transfers where company_id = ${company.companyId}::uuid group by status`,
          ),
        );
        const [calls] = await db
          .select({ n: count() })
          .from(economicCalls)
          .innerJoin(transfers, eq(transfers.id, economicCalls.transferId))
          .where(eq(transfers.companyId, company.companyId));
        // Received → booked per transfer (the transfer row is created when the webhook is received).
        const latencies = rowsOf<{ ms: number }>(
          await db.execute(sql`
          select extract(epoch from (updated_at - created_at)) * 1000 as ms from transfers
          where company_id = ${company.companyId}::uuid and status = 'booked'`),
        )
          .map((r) => Number(r.ms))
          .sort((a, b) => a - b);
        // Master data is created once per company; the rest is what every invoice costs.
        const split = rowsOf<{ kind: string; n: number }>(
          await db.execute(sql`
          select case
              when c.path like '/invoices/%' then 'invoice'
              when c.method = 'GET' and c.path ~ '^/[a-z-]+$' then 'list'
              when c.method = 'GET' then 'lookup'
              else lower(c.method)
            end as kind, count(*)::int as n
          from economic_calls c join transfers t on t.id = c.transfer_id
          where t.company_id = ${company.companyId}::uuid group by 1`),
        );
        const byKind = new Map(split.map((r) => [r.kind, Number(r.n)]));
        const perInvoice = rowsOf<{ calls: number; n: number }>(
          await db.execute(sql`
          select coalesce(c.calls, 0)::int as calls, count(*)::int as n from transfers t
          left join (select transfer_id, count(*) as calls from economic_calls group by 1) c on c.transfer_id = t.id
          where t.company_id = ${company.companyId}::uuid group by 1 order by 1`),
        );
        const { booked, drafts } = await company.countInvoices();
        const callCount = Number(calls?.n ?? 0);
        const row: Row = {
          scenario,
          latency: `${latency} ms`,
          "inv/s": (INVOICES / seconds).toFixed(1),
          seconds: seconds.toFixed(1),
          calls: String(callCount),
          "calls/inv": (callCount / INVOICES).toFixed(3),
          "invoice calls/inv": ((byKind.get("invoice") ?? 0) / INVOICES).toFixed(3),
          "md list": String(byKind.get("list") ?? 0),
          "md GET": String(byKind.get("lookup") ?? 0),
          "md POST": String(byKind.get("post") ?? 0),
          "md PUT": String(byKind.get("put") ?? 0),
          "inv @2 calls": String(perInvoice.find((r) => Number(r.calls) === 2)?.n ?? 0),
          "max calls/inv": String(Math.max(0, ...perInvoice.map((r) => Number(r.calls)))),
          "p50 ms": percentile(latencies, 50).toFixed(0),
          "p99 ms": percentile(latencies, 99).toFixed(0),
          "peak RSS MB": (peakRss / 1024 / 1024).toFixed(0),
          statuses: statuses.map((x) => `${x.status}=${x.n}`).join(","),
          "e-c booked/drafts": `${booked}/${drafts}`,
        };
        console.log(
          `${scenario} @ ${latency} ms: ${row["calls/inv"]} calls/invoice, ${row["inv/s"]} invoices/s (per-invoice calls: ${perInvoice.map((r) => `${r.calls}×${r.n}`).join(" ")})`,
        );
        results.push(row);
      }
    printTable(results);
  } finally {
    await sandboxes.close();
    await testDb.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
