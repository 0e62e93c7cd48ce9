/**
 * Reconciliation sweep benchmark: Rackbeat calls and time per sweep of one company, at 0 and at
 * 10,000 (BENCH_HISTORY) invoices already transferred, through the real path (our sweep → HTTP →
 * the Rackbeat sandbox's booked list → our transfers table).
 *
 *   npm run bench:sweep
 *   BENCH_HISTORY=2000 BENCH_SWEEPS=10 DATABASE_URL=postgres://... npm run bench:sweep
 *
 * "our time" is the sweep's wall time less the time spent waiting for Rackbeat's answers (the
 * sandbox runs in this process, so its work would otherwise count as ours). Goal: a sweep that
 * finds nothing new costs ≤ 3 Rackbeat calls and ≤ 200 ms of our time per company, whatever the
 * history. Also shown: the first sweep after activation with the whole history inside its window
 * (one list call per 100 invoices), and a sweep that finds 50 new invoices (webhooks lost).
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { companyIntegrations } from "@/db/schema";
import { sweepCompany } from "@/lib/reconcile/sweep";
import { createTestDb } from "@/test/support/db";
import { type SandboxCompany, startSandboxes } from "@/test/support/sandboxes";

const HISTORY = Number(process.env.BENCH_HISTORY ?? 10_000);
const SWEEPS = Number(process.env.BENCH_SWEEPS ?? 20);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
  const t = await createTestDb(kind);
  const sandboxes = await startSandboxes(t.db);
  let calls = 0;
  let waitedMs = 0;
  const counting: typeof fetch = async (input, init) => {
    calls++;
    const started = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      waitedMs += performance.now() - started;
    }
  };

  /** `history` booked invoices, booked 1 to 30 days ago, each with a finished transfer. */
  async function seedHistory(company: SandboxCompany, history: number): Promise<void> {
    if (history === 0) return;
    await t.db.execute(sql`
      insert into rackbeat_sandbox.customer_invoices
        (account_id, number, customer_number, currency, currency_rate, date, due_date,
         is_booked, booked_at, total_subtotal, total_vat, total_total)
      select ${company.rackbeatAccountId}, 'H' || g, 101, 'DKK', 100, current_date, current_date,
        true, now() - interval '30 days' + g * (interval '29 days' / ${history}), 100, 25, 125
      from generate_series(1, ${history}) g`);
    await t.db.execute(sql`
      insert into transfers (company_id, rackbeat_invoice_number, status, next_attempt_at, source)
      select ${company.companyId}::uuid, 'H' || g, 'booked', null, 'webhook'
      from generate_series(1, ${history}) g`);
  }

  async function measure(company: SandboxCompany, label: string, runs: number, overlapMs?: number) {
    const rows: { calls: number; ourMs: number; wallMs: number; queued: number; listed: number }[] = [];
    for (let i = 0; i < runs; i++) {
      calls = 0;
      waitedMs = 0;
      const started = performance.now();
      const result = await sweepCompany(t.db, company.companyId, {
        urls: sandboxes.urls,
        fetch: counting,
        ...(overlapMs === undefined ? {} : { overlapMs }),
      });
      const wallMs = performance.now() - started;
      if (result.kind !== "done") throw new Error(`sweep ${label}: ${result.kind}`);
      rows.push({ calls, ourMs: wallMs - waitedMs, wallMs, queued: result.queued, listed: result.listed });
    }
    const ours = rows.map((r) => r.ourMs).sort((a, b) => a - b);
    const walls = rows.map((r) => r.wallMs).sort((a, b) => a - b);
    return {
      scenario: label,
      runs: String(runs),
      "Rackbeat calls": String(Math.max(...rows.map((r) => r.calls))),
      listed: String(rows[0]!.listed),
      queued: String(rows.reduce((n, r) => n + r.queued, 0)),
      "our ms p50": percentile(ours, 50).toFixed(1),
      "our ms p99": percentile(ours, 99).toFixed(1),
      "wall ms p50": percentile(walls, 50).toFixed(1),
    };
  }

  const table: Record<string, string>[] = [];
  for (const history of [0, HISTORY]) {
    const company = await sandboxes.createCompany({ webhook: false });
    await seedHistory(company, history);
    // Activated before the history: the first sweep's window holds all of it.
    await t.db
      .update(companyIntegrations)
      .set({ activatedAt: sql`now() - interval '31 days'` })
      .where(sql`${companyIntegrations.companyId} = ${company.companyId}::uuid`);
    table.push(await measure(company, `first sweep, ${history} transferred`, 1));
    table.push(await measure(company, `no change, ${history} transferred`, SWEEPS));
    for (let i = 0; i < 50; i++) {
      await company.bookInvoice(
        { customer_id: 101, lines: [{ child_id: "KAF-100", quantity: 1 }] },
        { suppressWebhooks: true },
      );
    }
    table.push(await measure(company, `50 new, ${history} transferred`, 1));
    // The 50 are now inside the overlap window: later sweeps read them again (one page), queue nothing.
    table.push(await measure(company, `no change, 50 in overlap, ${history}`, SWEEPS));
  }

  const columns = Object.keys(table[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...table.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  console.log(`\nsweep benchmark on ${kind}; history ${HISTORY}; ${SWEEPS} runs per no-change row`);
  console.log(line(columns));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
  );
  for (const row of table) console.log(line(columns.map((c) => row[c]!)));
  const noChange = table.filter(
    (r) => r.scenario!.startsWith("no change,") && !r.scenario!.includes("overlap"),
  );
  const [small, large] = noChange;
  if (small && large) {
    console.log(
      `\nno-change sweep at ${HISTORY} vs 0 transferred: our time p50 ratio ${(Number(large["our ms p50"]) / Math.max(0.1, Number(small["our ms p50"]))).toFixed(2)}`,
    );
  }
  console.log(
    `load average (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")}`,
  );
  await sandboxes.close();
  await t.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
