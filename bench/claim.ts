/**
 * Claim benchmark (issue 17, item 3): the time of one claim — the stored function claim_transfers
 * (db/migrations/0004_claim_transfers.sql) as a worker calls it, through claimTransfers — with 100, 10,000 and
 * 100,000 due transfers spread over BENCH_COMPANIES (default 4) companies. Goal: the time at 100k ≤
 * 2 × the time at 100 (the issue measured 2.9 / 8.2 / 24.8 ms for the earlier claim, which grouped
 * every due row).
 *
 *   npm run bench:claim
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:claim   (PGlite and Postgres)
 *
 * Each sample is one claim in autocommit with the shipped defaults (limit 4 = the default worker
 * concurrency, per-company limit 4, lease 60 s); between samples the claimed rows are put back as
 * they were (not timed), so every sample sees the same backlog. BENCH_SAMPLES (default 1,000) per
 * size after 50 warm-up claims. The table is VACUUM ANALYZEd after each fill (PGlite has no
 * autovacuum), so each size starts from the same state apart from its backlog.
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/client";
import { companies } from "@/db/schema";
import { claimTransfers, DEFAULT_LEASE_MS, DEFAULT_PER_COMPANY_LIMIT } from "@/lib/transfer/queue";
import { createTestDb, type DbKind } from "@/test/support/db";

const SIZES = (process.env.BENCH_SIZES ?? "100,10000,100000").split(",").map(Number);
const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 4);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
const WARMUP = 50;
const LIMIT = 4;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** Adds due transfers (queued, next_attempt_at in the past, oldest first by number) up to `total`. */
async function fillTo(db: Db, companyIds: string[], from: number, total: number): Promise<void> {
  const ids = sql.join(
    companyIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await db.execute(sql`
    insert into transfers (company_id, rackbeat_invoice_number, status, next_attempt_at, created_at)
    select (array[${ids}])[1 + i % ${companyIds.length}::int], 'B' || i, 'queued',
      now() - interval '1 day' + i * interval '1 millisecond',
      now() - interval '1 day' + i * interval '1 millisecond'
    from generate_series(${from}::int, ${total - 1}::int) as i`);
  // Each size starts without the dead row versions the previous size's samples left (every sample
  // updates 4 rows twice); PGlite has no autovacuum, and on Postgres it would run at its own pace.
  await db.execute(sql`vacuum analyze transfers`);
}

/** Puts claimed transfers back as they were before the claim (untimed). */
async function putBack(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await db.execute(sql`
    with back as (
      update transfers set status = 'queued', attempts = attempts - 1, lease_owner = null,
        lease_expires_at = null, next_attempt_at = created_at
      where id in (${list}) returning id
    )
    delete from transfer_attempts where transfer_id in (select id from back)`);
}

async function measure(kind: DbKind): Promise<Record<string, string>[]> {
  const testDb = await createTestDb(kind);
  const db = testDb.db;
  const rows: Record<string, string>[] = [];
  try {
    const created = await db
      .insert(companies)
      .values(Array.from({ length: COMPANIES }, (_, i) => ({ name: `Firma ${i + 1}` })))
      .returning({ id: companies.id });
    const companyIds = created.map((c) => c.id);
    let filled = 0;
    for (const size of SIZES) {
      await fillTo(db, companyIds, filled, size);
      filled = size;
      const [{ n } = { n: 0 }] = rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from transfers where next_attempt_at <= now()`),
      );
      const times: number[] = [];
      for (let i = 0; i < WARMUP + SAMPLES; i++) {
        const started = performance.now();
        const claimed = await claimTransfers(db, {
          workerId: "bench",
          limit: LIMIT,
          leaseMs: DEFAULT_LEASE_MS,
          perCompanyLimit: DEFAULT_PER_COMPANY_LIMIT,
        });
        const ms = performance.now() - started;
        if (claimed.length !== LIMIT) throw new Error(`claimed ${claimed.length}, expected ${LIMIT}`);
        if (i >= WARMUP) times.push(ms);
        await putBack(
          db,
          claimed.map((c) => c.id),
        );
      }
      times.sort((a, b) => a - b);
      const row = {
        db: kind,
        "due rows": String(Number(n)),
        companies: String(COMPANIES),
        samples: String(times.length),
        "p50 ms": percentile(times, 50).toFixed(2),
        "p95 ms": percentile(times, 95).toFixed(2),
        "p99 ms": percentile(times, 99).toFixed(2),
        "mean ms": (times.reduce((a, b) => a + b, 0) / times.length).toFixed(2),
        "load avg": load(),
      };
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  } finally {
    await testDb.close();
  }
  return rows;
}

function printTable(rows: Record<string, string>[]): void {
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padStart(widths[i]!)).join(" | ")} |`;
  console.log("");
  console.log(line(columns));
  console.log(`|${widths.map((w) => `${"-".repeat(w + 1)}:`).join("|")}|`);
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? "")));
}

async function main() {
  const kinds: DbKind[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
  console.log(
    `claim benchmark: ${SIZES.join(" / ")} due transfers over ${COMPANIES} companies, ${SAMPLES} claims each ` +
      `(limit ${LIMIT}, per-company limit ${DEFAULT_PER_COMPANY_LIMIT}: the shipped defaults); ${os.cpus().length} cores, load average ${load()}`,
  );
  const all: Record<string, string>[] = [];
  for (const kind of kinds) {
    const rows = await measure(kind);
    all.push(...rows);
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const ratio = (k: string) => (Number(last[k]) / Number(first[k])).toFixed(2);
    console.log(
      `${kind}: ${last["due rows"]} vs ${first["due rows"]} due rows: p50 ×${ratio("p50 ms")}, p95 ×${ratio("p95 ms")}, mean ×${ratio("mean ms")} (goal ≤ 2)`,
    );
  }
  printTable(all);
  console.log(`\nload average at the end: ${load()}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
