/**
 * Wake-up benchmark (issue 17, item 2): webhook received → booked for one invoice at a time on an
 * idle system, with
 *   in-server   the worker in the process that receives the webhook (as the Next server runs it)
 *   process     a worker in a process of its own (`npm run worker`), woken by LISTEN/NOTIFY
 * both with the shipped defaults (concurrency 4, per-company limit 4, poll 500 ms). Goal: the
 * separate process's p50 ≤ 30 ms + the e-conomic time (the issue measured 325 ms p50 before, 223 ms
 * of it waiting in the queue for the 500 ms poll; in-server 109 ms).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:wakeup
 *   BENCH_SAMPLES=300 ...
 *
 * Postgres only (several processes cannot share a PGlite). The sandboxes (Rackbeat, which sends the
 * webhooks, the intake, and e-conomic) run in this process (test/support/sandboxes.ts, as
 * bench/transfer.ts). Per sample: book one invoice in the Rackbeat sandbox, wait until its transfer
 * is booked, pause 100–200 ms so every worker is idle again (the poll is 500 ms, so most wake-ups
 * come between polls). Reported per transfer from the database's clocks: received → booked
 * (transfers.updated_at - created_at), received → claimed (the queue wait: transfer_attempts
 * .started_at - created_at), and the e-conomic calls' own time (sum of economic_calls.duration_ms).
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { createTransferProcessor } from "@/lib/transfer/run";
import { startWorker } from "@/lib/transfer/worker";
import { workerSettingsFromEnv } from "@/lib/transfer/worker-settings";
import { createTestDb } from "@/test/support/db";
import { type SandboxCompany, startSandboxes } from "@/test/support/sandboxes";
import { startWorkerProcess } from "@/test/support/worker-process";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 5;

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("bench:wakeup needs DATABASE_URL (Postgres): a worker process cannot share a PGlite");
  const settings = workerSettingsFromEnv({});
  console.log(
    `wake-up benchmark: ${SAMPLES} invoices one at a time per mode (+${WARMUP} warm-up), shipped defaults ` +
      `(concurrency ${settings.concurrency}, per company ${settings.perCompanyLimit}, poll ${settings.pollMs} ms); ` +
      `${os.cpus().length} cores, load average ${load()}`,
  );
  const testDb = await createTestDb("postgres");
  const db = testDb.db;
  const sandboxes = await startSandboxes(db);
  const rows: Record<string, string>[] = [];
  try {
    for (const mode of ["in-server", "process"] as const) {
      const company: SandboxCompany = await sandboxes.createCompany({
        settings: { bookWhenBookedInRackbeat: true },
      });
      await company.seedEconomicMasterData({ customers: [101], products: ["KAF-100"] });
      const stop =
        mode === "in-server"
          ? (() => {
              const worker = startWorker({
                db: async () => db,
                processor: createTransferProcessor({ mailer: null }),
                urls: sandboxes.urls,
                ...settings,
              });
              return () => worker.stop();
            })()
          : await (async () => {
              const p = await startWorkerProcess({ DATABASE_URL: testDb.url!, APP_URL: sandboxes.url });
              return async () => {
                p.child.kill("SIGTERM");
                await p.exited;
              };
            })();
      const numbers: string[] = [];
      try {
        for (let i = 0; i < WARMUP + SAMPLES; i++) {
          const number = await company.bookInvoice({
            customer_id: 101,
            lines: [{ child_id: "KAF-100", quantity: 1 + (i % 5) }],
          });
          for (let tries = 0; ; tries++) {
            const [r] = rowsOf<{ status: string }>(
              await db.execute(sql`
                select status::text as status from transfers
                where company_id = ${company.companyId}::uuid and rackbeat_invoice_number = ${number}
                  and next_attempt_at is null and status in ('booked', 'draft', 'skipped', 'failed')`),
            );
            if (r) break;
            if (tries > 1500) throw new Error(`invoice ${number} not settled`);
            await sleep(10);
          }
          if (i >= WARMUP) numbers.push(number);
          await sleep(100 + Math.random() * 100);
        }
      } finally {
        await stop();
      }
      const measured = rowsOf<{ status: string; total: number; queued: number; economic: number }>(
        await db.execute(sql`
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
      const sorted = (k: "total" | "queued" | "economic") =>
        booked.map((m) => Number(m[k])).sort((a, b) => a - b);
      const total = sorted("total");
      const queued = sorted("queued");
      const economic = sorted("economic");
      const row = {
        mode,
        booked: `${booked.length}/${numbers.length}`,
        "p50 ms": percentile(total, 50).toFixed(0),
        "p95 ms": percentile(total, 95).toFixed(0),
        "p99 ms": percentile(total, 99).toFixed(0),
        "queue p50": percentile(queued, 50).toFixed(0),
        "queue p95": percentile(queued, 95).toFixed(0),
        "e-conomic p50": percentile(economic, 50).toFixed(0),
        "p50 − e-conomic p50": (percentile(total, 50) - percentile(economic, 50)).toFixed(0),
        "load avg": load(),
      };
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  } finally {
    await sandboxes.close();
    await testDb.close();
  }
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padStart(widths[i]!)).join(" | ")} |`;
  console.log(`\n${line(columns)}`);
  console.log(`|${widths.map((w) => `${"-".repeat(w + 1)}:`).join("|")}|`);
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? "")));
  console.log(
    "\np50 ms: webhook received → booked; queue: received → claimed; e-conomic: the calls' own time per invoice." +
      `\nGoal (issue 17): the worker process's p50 ≤ 30 ms + e-conomic time. Load average at the end: ${load()}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
