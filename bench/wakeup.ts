/**
 * Wake-up benchmark (issue 17, item 2): webhook received → booked for one invoice at a time on an
 * idle system, on what ships: the production server (`next start`, bench/support.ts builds it once)
 * on a fresh Postgres database, the sandboxes in a process of their own (`npm run sandbox`), with
 *   in-server   the server's own worker (WORKER=1, the shipped default)
 *   process     WORKER=0 and one `npm run worker` process, woken by LISTEN/NOTIFY
 * both with the shipped worker defaults (concurrency 4, per-company limit 4, poll 500 ms). Goal: the
 * separate process's p50 ≤ 30 ms + the e-conomic time (the issue measured 325 ms p50 before, 223 ms
 * of it waiting in the queue for the 500 ms poll; in-server 109 ms).
 *
 *   npm run bench:wakeup          BENCH_SAMPLES=1000 npm run bench:wakeup
 *
 * Per sample: create and book one invoice in the Rackbeat sandbox (its webhook reaches the server's
 * intake), wait until its transfer is settled, pause 100–200 ms so every worker is idle again (the
 * poll is 500 ms, so most wake-ups come between polls). Reported per transfer from the database's
 * clocks: received → booked (transfers.updated_at - created_at), received → claimed (the queue wait:
 * transfer_attempts.started_at - created_at), and the e-conomic calls' own time (the sum of
 * economic_calls.duration_ms). The first WARMUP invoices (which create the customer and the product
 * in e-conomic) are not counted.
 */
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { createCompany, startStack } from "./company";
import { ensureBuild, loadAverage, percentiles, printTable, sampleNote, sizeFromEnv } from "./support";

const SAMPLES = sizeFromEnv("BENCH_SAMPLES", 200);
const WARMUP = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mode(name: "in-server" | "process"): Promise<Record<string, string>> {
  const stack = await startStack(name, name === "process" ? 1 : 0);
  const { database, sandbox, server } = stack;
  return stack.run(async () => {
    const company = await createCompany(database.db, sandbox, server.url, 1);
    await company.post("/customers", {
      number: 20_001,
      company_name: "Kunde 20001 ApS",
      currency: "DKK",
      vat_zone: 1,
      group: { number: 1 },
      payment_terms: { number: 1 },
      address_country: "DK",
    });
    await company.post("/products", {
      number: "W-0001",
      name: "Kaffe",
      group: { number: 1 },
      sales_price: "24.95",
      unit: "stk",
    });
    const numbers: string[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const created = (await company.post("/customer-invoices", {
        customer_id: 20_001,
        lines: [{ child_id: "W-0001", quantity: 1 + (i % 5) }],
      })) as { customer_invoice: { number: string } };
      const number = created.customer_invoice.number;
      await company.post(`/customer-invoices/${encodeURIComponent(number)}/book`, {
        suppress_webhooks: false,
      });
      for (let tries = 0; ; tries++) {
        const [row] = rowsOf<{ status: string }>(
          await database.db.execute(sql`
            select status::text as status from transfers
            where company_id = ${company.companyId}::uuid and rackbeat_invoice_number = ${number}
              and next_attempt_at is null and status in ('booked', 'draft', 'skipped', 'failed')`),
        );
        if (row) break;
        if (tries > 1500) throw new Error(`invoice ${number} not settled in 15 s`);
        await sleep(10);
      }
      if (i >= WARMUP) numbers.push(number);
      await sleep(100 + Math.random() * 100);
    }
    const measured = rowsOf<{ status: string; total: number; queued: number; economic: number }>(
      await database.db.execute(sql`
        select t.status::text as status,
          extract(epoch from (t.updated_at - t.created_at)) * 1000 as total,
          extract(epoch from (a.started_at - t.created_at)) * 1000 as queued,
          coalesce((select sum(c.duration_ms) from economic_calls c where c.transfer_id = t.id), 0) as economic
        from transfers t
        join transfer_attempts a on a.transfer_id = t.id and a.attempt = 1
        where t.company_id = ${company.companyId}::uuid
          and t.rackbeat_invoice_number in (${sql.join(
            numbers.map((n) => sql`${n}`),
            sql`, `,
          )})`),
    );
    const booked = measured.filter((m) => m.status === "booked");
    const total = percentiles(booked.map((m) => Number(m.total)));
    const queued = percentiles(booked.map((m) => Number(m.queued)));
    const economic = percentiles(booked.map((m) => Number(m.economic)));
    if (total.n < 1000) console.log(`${name}: received → booked${sampleNote(total.n)}`);
    return {
      mode: name,
      booked: `${booked.length}/${numbers.length}`,
      "p50 ms": total.p50.toFixed(0),
      "p90 ms": total.p90.toFixed(0),
      "p99 ms": total.p99.toFixed(0),
      "queue p50": queued.p50.toFixed(0),
      "queue p90": queued.p90.toFixed(0),
      "e-conomic p50": economic.p50.toFixed(0),
      "p50 − e-conomic p50": (total.p50 - economic.p50).toFixed(0),
      load: loadAverage(),
    };
  });
}

async function main(): Promise<void> {
  ensureBuild();
  console.log(
    `wake-up benchmark: ${SAMPLES} invoices one at a time per mode (+${WARMUP} warm-up), the production server with the shipped worker defaults, ${loadAverage()}`,
  );
  const rows: Record<string, string>[] = [];
  for (const name of ["in-server", "process"] as const) rows.push(await mode(name));
  console.log("");
  printTable(rows);
  const process_ = rows.find((r) => r.mode === "process");
  const overhead = Number(process_?.["p50 − e-conomic p50"]);
  console.log(
    "\np50 ms: webhook received → booked; queue: received → claimed; e-conomic: the calls' own time per invoice." +
      `\nGoal (issue 17): the worker process's p50 ≤ 30 ms + e-conomic time: ${overhead} ms + e-conomic, ${overhead <= 30 ? "met" : "missed"}. ${loadAverage()}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
