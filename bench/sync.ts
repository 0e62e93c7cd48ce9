/**
 * Debitor-integration benchmark (lib/sync): through the real path, in-process on one `serve()`
 * server with a fresh database (Postgres when DATABASE_URL is set, else PGlite).
 *
 *   first sync  BENCH_RECORDS (default 500) customers over 5 customer groups in Rackbeat, a fifth of
 *               them in e-conomic already (adopted, not created); "Synkronisér kunder og grupper nu"
 *               lists and queues them, the worker syncs them. Records/s from the click to the last
 *               sync; e-conomic calls per synced record (goal ≤ 1.05 with the known-records cache:
 *               priming lists e-conomic's records, so a new one costs its create and an adopted one
 *               that matches costs nothing).
 *   bursts      BENCH_BURST_CUSTOMERS (default 20) customers each updated BENCH_BURST (default 20)
 *               times in a row through Rackbeat's API (webhooks → intake → one queued sync per
 *               customer): e-conomic writes per customer and whether the last state won.
 *
 *   The first sync's walk over Rackbeat runs as the durable job it is (lib/sync/first-sync.ts),
 *   stepped by the worker's reconciler. "per attempt" tells where a record's time goes: the queue
 *   runs BENCH_PER_COMPANY (default 4, the queue's per-company limit) of one company's rows at a
 *   time, so records/s ≈ that / the attempt's duration.
 *
 *   npm run bench:sync
 *   BENCH_RECORDS=2000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:sync
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { syncRecordWebhooks } from "@/lib/integrations/record-webhooks";
import { withRecordSyncs } from "@/lib/sync/dispatch";
import { recordSyncProgress, startFirstSync } from "@/lib/sync/first-sync";
import { createTransferProcessor } from "@/lib/transfer/run";
import { startWorker } from "@/lib/transfer/worker";
import { createTestDb } from "@/test/support/db";
import { startSandboxes } from "@/test/support/sandboxes";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 500);
const BURST_CUSTOMERS = Number(process.env.BENCH_BURST_CUSTOMERS ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function callsOf(db: Db, companyId: string) {
  const [row] = rowsOf<{ all: number; writes: number }>(
    await db.execute(sql`
      select count(*)::int as all,
        count(*) filter (where c.method in ('POST', 'PUT'))::int as writes
      from economic_calls c join transfers t on t.id = c.transfer_id
      where t.company_id = ${companyId}::uuid and t.kind <> 'invoice'`),
  );
  return { all: Number(row?.all ?? 0), writes: Number(row?.writes ?? 0) };
}

async function main() {
  const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
  const testDb = await createTestDb(kind);
  const db = testDb.db;
  const sandboxes = await startSandboxes(db, { webhookRetryDelaysMs: [500, 2000, 8000] });
  const worker = startWorker({
    db: async () => db,
    processor: withRecordSyncs(createTransferProcessor({ mailer: null })),
    concurrency: CONCURRENCY,
    perCompanyLimit: Number(process.env.BENCH_PER_COMPANY ?? 4),
    pollMs: 100,
    // The first sync's walk over Rackbeat is stepped by the reconciler (lib/sync/first-sync.ts).
    reconcile: { sweepIntervalMs: 0, tickMs: 50 },
    urls: sandboxes.urls,
    logger: { error: () => {}, warn: () => {} },
  });
  console.log(
    `sync benchmark: ${kind}, worker concurrency ${CONCURRENCY}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  try {
    // --- first sync
    const company = await sandboxes.createCompany();
    for (let g = 1; g <= 5; g++)
      await company.rackbeatPost("/customer-groups", { number: 900 + g, name: `Gruppe ${g}` });
    const numbers = Array.from({ length: RECORDS }, (_, i) => 20_001 + i);
    await inBatches(numbers, 20, (n) =>
      company.rackbeatPost("/customers", {
        number: n,
        company_name: `Kunde ${n}`,
        group: { number: 901 + (n % 5) },
        address_street: `Vej ${n}`,
        contact_email: `k${n}@example.com`,
      }),
    );
    await company.seedEconomicMasterData({ customers: numbers.filter((_, i) => i % 5 === 0) });
    const started = performance.now();
    const first = await startFirstSync(db, company.companyId);
    if (!first.ok) throw new Error(`first sync failed: ${JSON.stringify(first.error)}`);
    let listedMs = 0;
    let progress = await recordSyncProgress(db, company.companyId);
    while (progress.job?.status === "running" || progress.pending > 0) {
      await new Promise((r) => setTimeout(r, 100));
      progress = await recordSyncProgress(db, company.companyId);
      if (!listedMs && progress.job?.status !== "running") listedMs = performance.now() - started;
    }
    const seconds = (performance.now() - started) / 1000;
    const calls = await callsOf(db, company.companyId);
    console.log("\nfirst sync");
    console.log(
      `  records queued            ${progress.job?.queued} (listed and queued in ${(listedMs / 1000).toFixed(2)} s)`,
    );
    console.log(`  synced / failed           ${progress.synced} / ${progress.failed}`);
    console.log(
      `  records per second        ${(progress.total / seconds).toFixed(1)} (${seconds.toFixed(1)} s)`,
    );
    console.log(
      `  e-conomic calls / record  ${(calls.all / progress.total).toFixed(3)} (${calls.all} calls; goal ≤ 1.05)`,
    );
    console.log(`  e-conomic writes / record ${(calls.writes / progress.total).toFixed(3)}`);
    const [where] = rowsOf<{ attempt_ms: number; economic_ms: number; queue_wait_ms: number }>(
      await db.execute(sql`
        select
          avg(extract(epoch from (a.finished_at - a.started_at)) * 1000)::float as attempt_ms,
          (select avg(c.duration_ms) from economic_calls c join transfers t on t.id = c.transfer_id
            where t.company_id = ${company.companyId}::uuid)::float as economic_ms,
          avg(extract(epoch from (a.started_at - t.created_at)) * 1000)::float as queue_wait_ms
        from transfer_attempts a join transfers t on t.id = a.transfer_id
        where t.company_id = ${company.companyId}::uuid`),
    );
    // Where a record's time goes: the attempt (Rackbeat fetch, e-conomic calls, our statements),
    // of it the e-conomic calls, and the wait in the queue (bounded by the per-company limit).
    console.log(
      `  per attempt               ${Number(where?.attempt_ms).toFixed(1)} ms (e-conomic call ${Number(
        where?.economic_ms,
      ).toFixed(1)} ms avg; queue wait ${Number(where?.queue_wait_ms).toFixed(0)} ms avg)`,
    );

    // --- bursts of updates through webhooks
    const burst = await sandboxes.createCompany();
    await syncRecordWebhooks(db, burst.companyId, { urls: sandboxes.urls, appUrl: sandboxes.url });
    const burstNumbers = Array.from({ length: BURST_CUSTOMERS }, (_, i) => 30_001 + i);
    await burst.rackbeatPost("/customer-groups", { number: 950, name: "Burst" });
    for (const n of burstNumbers)
      await burst.rackbeatPost("/customers", { number: n, company_name: `B ${n}`, group: { number: 950 } });
    const put = async (n: number, i: number) => {
      const response = await fetch(`${sandboxes.urls.rackbeat}/customers/${n}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${burst.rackbeatApiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ address_street: `Gade ${i}` }),
      });
      if (!response.ok) throw new Error(`PUT ${n}: ${response.status}`);
    };
    const burstStart = performance.now();
    for (let i = 1; i <= BURST; i++) await Promise.all(burstNumbers.map((n) => put(n, i)));
    await sandboxes.rackbeatSandbox.idle();
    await new Promise((r) => setTimeout(r, 1_500));
    let bp = await recordSyncProgress(db, burst.companyId);
    while (bp.pending > 0) {
      await new Promise((r) => setTimeout(r, 100));
      bp = await recordSyncProgress(db, burst.companyId);
    }
    const burstSeconds = (performance.now() - burstStart) / 1000;
    const burstCalls = await callsOf(db, burst.companyId);
    let lastWins = 0;
    for (const n of burstNumbers)
      if ((await burst.economic.customers.get(n)).address === `Gade ${BURST}`) lastWins++;
    const updates = BURST_CUSTOMERS * BURST;
    console.log(`\nbursts: ${BURST_CUSTOMERS} customers × ${BURST} updates (${updates} webhook deliveries)`);
    console.log(
      `  e-conomic writes          ${burstCalls.writes} (${(burstCalls.writes / BURST_CUSTOMERS).toFixed(2)} per customer incl. its create; ${(burstCalls.writes / updates).toFixed(3)} per update)`,
    );
    console.log(`  e-conomic calls           ${burstCalls.all}`);
    console.log(`  last state won            ${lastWins} / ${BURST_CUSTOMERS}`);
    console.log(`  done in                   ${burstSeconds.toFixed(1)} s`);
    console.log(
      `\nload average (1/5/15 min): ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await worker.stop({ graceMs: 1_000 });
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
