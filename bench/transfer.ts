/**
 * Transfer engine benchmark: BENCH_INVOICES (default 2,000) invoices over 100 customers and 300
 * products, booked mode, through the real path (Rackbeat sandbox booking → webhook → intake →
 * worker → e-conomic sandbox), with the e-conomic sandbox at 0 ms and at 50 ms added latency.
 *
 *   npx tsx --conditions=react-server bench/transfer.ts
 *   BENCH_INVOICES=300 BENCH_CONCURRENCY=16 DATABASE_URL=postgres://... npx tsx --conditions=react-server bench/transfer.ts
 *
 * Runs in-process on one `serve()` server with a fresh database (a new Postgres database when
 * DATABASE_URL is set, else in-memory PGlite). Prints invoices/s, e-conomic calls per invoice (goal
 * ≤ 2.1; 2 is the floor: draft + booking), p50/p99 from webhook received to booked, peak RSS.
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
  const results: string[] = [];
  try {
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
      const [invoiceCalls] = rowsOf<{ n: number }>(
        await db.execute(sql`
          select count(*)::int as n from economic_calls c join transfers t on t.id = c.transfer_id
          where t.company_id = ${company.companyId}::uuid and c.path like '/invoices/%'`),
      );
      const { booked, drafts } = await company.countInvoices();
      const callCount = Number(calls?.n ?? 0);
      const line = [
        `latency ${String(latency).padStart(2)} ms:`,
        `${(INVOICES / seconds).toFixed(1)} invoices/s`,
        `(${seconds.toFixed(1)} s)`,
        `e-conomic calls/invoice ${(callCount / INVOICES).toFixed(3)} (${callCount} calls; floor 2.000, ratio to floor ${(callCount / INVOICES / 2).toFixed(3)})`,
        `of which invoice calls/invoice ${(Number(invoiceCalls?.n ?? 0) / INVOICES).toFixed(3)}, master-data calls ${callCount - Number(invoiceCalls?.n ?? 0)}`,
        `received→booked p50 ${percentile(latencies, 50).toFixed(0)} ms p99 ${percentile(latencies, 99).toFixed(0)} ms`,
        `peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`,
        `statuses ${statuses.map((s) => `${s.status}=${s.n}`).join(",")}`,
        `e-conomic booked=${booked} drafts=${drafts}`,
      ].join("  ");
      console.log(line);
      results.push(line);
    }
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
