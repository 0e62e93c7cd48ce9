/**
 * Transfer throughput of what ships: webhooks in → booked in e-conomic, over HTTP end to end.
 * The production server (`next start`, bench/support.ts builds it once) on a fresh Postgres
 * database per scenario, both sandboxes in a process of their own (`npm run sandbox`), BENCH_INVOICES
 * (default 600) invoices spread over BENCH_COMPANIES (default 4) companies, booked mode. Scenarios
 * (BENCH_SCENARIOS, default all):
 *   in-server    the server's own workers (WORKER=1, the shipped default)
 *   1-worker     WORKER=0 and one `npm run worker` process
 *   2-workers    WORKER=0 and two `npm run worker` processes
 *   1-worker-slow, 2-workers-slow   the same with e-conomic answering every call after
 *                BENCH_ECONOMIC_DELAY_MS (default 250): the sandbox answers in a few ms, the real
 *                e-conomic is an internet round trip and a booking away. At sandbox speed the whole
 *                pipeline (Rackbeat sandbox, intake, workers, e-conomic sandbox, Postgres) shares this
 *                machine's 2 cores, so a second worker process has no CPU to add; with e-conomic's
 *                time spent waiting, not computing, the workers' concurrency is what sets the pace.
 * The Rackbeat sandbox books every invoice (its webhook reaches the server's intake); the clock runs
 * from the first booking until every transfer is settled. Latency is received → booked per transfer
 * (the transfer row's created_at to its last update, both the database's clock). "CPU busy" is the
 * machine's (all processes, /proc/stat) over that interval: near 100 % the machine, not the
 * engine, is the limit.
 *
 *   npm run bench:transfer          BENCH_INVOICES=300 BENCH_SCENARIOS=in-server npm run bench:transfer
 *
 * WORKER_CONCURRENCY and TRANSFER_PER_COMPANY_LIMIT are passed on to the server and the worker
 * processes when set (printed either way); master data (customers, products) is new in e-conomic,
 * so each company's first transfers create it.
 */
import { readFileSync } from "node:fs";
import { count, sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { transfers } from "@/db/schema";
import { type Company, createCompany, startStack } from "./company";
import {
  ensureBuild,
  loadAverage,
  percentiles,
  printTable,
  type Setting,
  sampleNote,
  sizeFromEnv,
} from "./support";

const INVOICES = sizeFromEnv("BENCH_INVOICES", 600);
const COMPANIES = sizeFromEnv("BENCH_COMPANIES", 4);
const CUSTOMERS = 20;
const PRODUCTS = 40;
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? "in-server,1-worker,2-workers,1-worker-slow,2-workers-slow")
  .split(",")
  .map((s) => s.trim());
const WORKERS: Record<string, number> = {
  "in-server": 0,
  "1-worker": 1,
  "2-workers": 2,
  "1-worker-slow": 1,
  "2-workers-slow": 2,
};
const ECONOMIC_DELAY_MS = sizeFromEnv("BENCH_ECONOMIC_DELAY_MS", 250);

/** The machine's CPU time so far, all cores (/proc/stat, in clock ticks): busy and total. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** The worker settings of helper B's branch, passed on when set; printed either way. */
function workerSettings(): Setting[] {
  const out: Setting[] = [];
  for (const name of ["WORKER_CONCURRENCY", "TRANSFER_PER_COMPANY_LIMIT"]) {
    const value = process.env[name];
    if (value) out.push({ name, value, why: "set in the environment of this run" });
    else console.log(`${name}: not set (the shipped default applies)`);
  }
  return out;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

async function scenario(name: string): Promise<Record<string, string>> {
  const workers = WORKERS[name];
  if (workers === undefined) throw new Error(`unknown scenario ${name}`);
  const slow = name.endsWith("-slow");
  if (slow) {
    console.log(
      `${name}: BENCH_ECONOMIC_DELAY_MS=${ECONOMIC_DELAY_MS}: every e-conomic call answered after ${ECONOMIC_DELAY_MS} ms (a sandbox fault plan per agreement), as a stand-in for the real API's round trip`,
    );
  }
  const stack = await startStack(name, workers, workerSettings());
  const { database, sandbox, server } = stack;
  const workerProcesses = stack.workers;
  return stack.run(async () => {
    const list = await Promise.all(
      Array.from({ length: COMPANIES }, (_, i) =>
        createCompany(database.db, sandbox, server.url, i + 1, slow ? ECONOMIC_DELAY_MS : 0),
      ),
    );
    const random = seeded(42);
    const numbers: { company: Company; number: string }[] = [];
    for (const company of list) {
      await inBatches(
        Array.from({ length: CUSTOMERS }, (_, i) => i),
        10,
        (i) =>
          company.post("/customers", {
            number: 20_001 + i,
            company_name: `Kunde ${i + 1} ApS`,
            currency: "DKK",
            vat_zone: 1,
            group: { number: 1 + (i % 2) },
            payment_terms: { number: 1 },
            address_country: "DK",
          }),
      );
      await inBatches(
        Array.from({ length: PRODUCTS }, (_, i) => i),
        10,
        (i) =>
          company.post("/products", {
            number: `B-${String(i + 1).padStart(4, "0")}`,
            name: `Vare ${i + 1}`,
            group: { number: 1 + (i % 2) },
            sales_price: (10 + i * 1.25).toFixed(2),
            unit: "stk",
          }),
      );
    }
    const perCompany = Math.ceil(INVOICES / COMPANIES);
    for (const company of list) {
      await inBatches(
        Array.from({ length: perCompany }, (_, i) => i),
        10,
        async () => {
          const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
            child_id: `B-${String(1 + Math.floor(random() * PRODUCTS)).padStart(4, "0")}`,
            quantity: 1 + Math.floor(random() * 5),
          }));
          const created = (await company.post("/customer-invoices", {
            customer_id: 20_001 + Math.floor(random() * CUSTOMERS),
            lines,
          })) as { customer_invoice: { number: string } };
          numbers.push({ company, number: created.customer_invoice.number });
        },
      );
    }
    const total = numbers.length;
    // Interleave companies, as bookings would arrive.
    numbers.sort((a, b) => Number(a.number) - Number(b.number));
    const loadBefore = loadAverage();
    const cpuBefore = machineCpu();
    const processCpu = () => ({
      server: server.cpuMs(),
      workers: workerProcesses.reduce((sum, w) => sum + w.cpuMs(), 0),
      sandbox: sandbox.cpuMs(),
    });
    const processCpuBefore = processCpu();
    const started = performance.now();
    await inBatches(numbers, 16, ({ company, number }) =>
      company.post(`/customer-invoices/${encodeURIComponent(number)}/book`, { suppress_webhooks: false }),
    );
    const deadline = Date.now() + 600_000;
    for (;;) {
      const [row] = await database.db
        .select({ n: count() })
        .from(transfers)
        .where(
          sql`${transfers.status} in ('booked', 'failed', 'skipped', 'draft') and ${transfers.nextAttemptAt} is null`,
        );
      if (Number(row?.n ?? 0) >= total) break;
      if (Date.now() > deadline)
        throw new Error(`only ${row?.n} of ${total} transfers settled in 10 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = machineCpu();
    const cpuBusy = (cpuAfter.busy - cpuBefore.busy) / Math.max(1, cpuAfter.total - cpuBefore.total);
    const processCpuAfter = processCpu();
    const perInvoice = (key: keyof typeof processCpuAfter) =>
      ((processCpuAfter[key] - processCpuBefore[key]) / total).toFixed(0);
    const statuses = rowsOf<{ status: string; n: number }>(
      await database.db.execute(
        sql`select status::text as status, count(*)::int as n from transfers group by 1`,
      ),
    );
    const latencies = rowsOf<{ ms: number }>(
      await database.db.execute(
        sql`select extract(epoch from (updated_at - created_at)) * 1000 as ms from transfers where status = 'booked'`,
      ),
    ).map((r) => Number(r.ms));
    const p = percentiles(latencies);
    if (p.n < 1000) console.log(`${name}: received → booked${sampleNote(p.n)}`);
    return {
      scenario: name,
      invoices: String(total),
      companies: String(COMPANIES),
      "e-conomic delay ms": slow ? String(ECONOMIC_DELAY_MS) : "0",
      "inv/s": (total / seconds).toFixed(1),
      "CPU busy": `${(cpuBusy * 100).toFixed(0)} %`,
      // CPU ms per invoice of: the Next server (intake; and the transfers when in-server) / the
      // worker processes / the sandboxes' process (Rackbeat booking and webhooks, e-conomic).
      "CPU ms/inv server/workers/sandbox": `${perInvoice("server")} / ${perInvoice("workers")} / ${perInvoice("sandbox")}`,
      seconds: seconds.toFixed(1),
      "p50 ms": p.p50.toFixed(0),
      "p99 ms": p.p99.toFixed(0),
      samples: String(p.n),
      statuses: statuses.map((s) => `${s.status}=${s.n}`).join(","),
      load: `${loadBefore} → ${loadAverage()}`,
    };
  });
}

async function main(): Promise<void> {
  ensureBuild();
  console.log(
    `transfer benchmark: ${INVOICES} invoices over ${COMPANIES} companies, booked, webhooks over HTTP, ${loadAverage()}`,
  );
  const rows: Record<string, string>[] = [];
  for (const name of SCENARIOS) rows.push(await scenario(name));
  console.log("");
  printTable(rows);
  console.log("");
  for (const suffix of ["", "-slow"]) {
    const one = rows.find((r) => r.scenario === `1-worker${suffix}`);
    const two = rows.find((r) => r.scenario === `2-workers${suffix}`);
    if (!one || !two) continue;
    const ratio = Number(two["inv/s"]) / Number(one["inv/s"]);
    console.log(
      `2 worker processes / 1, e-conomic delay ${one["e-conomic delay ms"]} ms: ${ratio.toFixed(2)}× (goal ≥ 1.7×: ${ratio >= 1.7 ? "met" : "missed"}; CPU busy ${one["CPU busy"]} / ${two["CPU busy"]}), ${loadAverage()}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
