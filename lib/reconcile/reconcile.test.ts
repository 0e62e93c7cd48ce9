import { and, count, countDistinct, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfills, rackbeatSweeps, transfers } from "@/db/schema";
import type { TransferWorker } from "@/lib/transfer/worker";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { startTestWorker } from "@/test/support/engine";
import {
  type InvoiceInput,
  type SandboxCompany,
  type Sandboxes,
  startSandboxes,
} from "@/test/support/sandboxes";
import { latestBackfillProgress, previewBackfill, startBackfill } from "./backfill";
import { sweepCompany } from "./sweep";

/**
 * Distinct amounts: the engine recognises an e-conomic draft whose create went unanswered (a
 * restart mid-request) by its content, so identical invoices could not be told apart there.
 */
const invoice = (i: number): InvoiceInput => ({
  customer_id: 101 + (i % 3),
  lines: [{ child_id: "KAF-100", quantity: 1 + i }],
});

async function inBatches(n: number, size: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += size) {
    await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, k) => fn(i + k)));
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(dbKinds)("reconciliation against Rackbeat's list (%s)", (kind) => {
  let t: TestDb;
  let sandboxes: Sandboxes;
  const workers: TransferWorker[] = [];

  const start = (reconcile?: { tickMs: number; backfillBudgetMs: number }) => {
    const worker = startTestWorker(t.db, sandboxes, {
      engine: { mailer: null },
      concurrency: 16,
      perCompanyLimit: 16,
      retryPolicy: { maxAttempts: 40 },
      ...(reconcile ? { reconcile: { ...reconcile, sweepIntervalMs: 0 } } : {}),
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    sandboxes = await startSandboxes(t.db, { webhookRetryDelaysMs: [50] });
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) await w.stop({ graceMs: 1_000 });
    await sandboxes?.close();
    await t?.close();
  });

  const transferStats = async (companyId: string) => {
    const [row] = await t.db
      .select({
        rows: count(),
        invoices: countDistinct(transfers.rackbeatInvoiceNumber),
        done: sql<number>`count(*) filter (where ${transfers.status} in ('draft', 'booked'))::int`,
        swept: sql<number>`count(*) filter (where ${transfers.source} = 'sweep')::int`,
        backfilled: sql<number>`count(*) filter (where ${transfers.source} = 'backfill')::int`,
      })
      .from(transfers)
      .where(eq(transfers.companyId, companyId));
    return {
      rows: Number(row!.rows),
      invoices: Number(row!.invoices),
      done: Number(row!.done),
      swept: Number(row!.swept),
      backfilled: Number(row!.backfilled),
    };
  };

  const economicDrafts = async (company: SandboxCompany) => {
    const { drafts } = await company.invoices();
    return { total: drafts.length, distinct: new Set(drafts.map((d) => d.references?.other)).size };
  };

  it("with 30 % of webhooks dropped for good, one sweep brings all 200 booked invoices over, none twice", async () => {
    const worker = start();
    const company = await sandboxes.createCompany();
    await company.setRackbeatFaults({ dropWebhooks: 0.3 });
    const numbers: string[] = [];
    await inBatches(200, 20, async (i) => numbers.push(await company.bookInvoice(invoice(i))));
    await sandboxes.rackbeatSandbox.idle();
    await worker.idle();
    const before = await transferStats(company.companyId);
    expect(before.rows).toBeGreaterThan(100);
    expect(before.rows).toBeLessThan(185);

    const result = await sweepCompany(t.db, company.companyId, { urls: sandboxes.urls });
    expect(result).toMatchObject({ kind: "done", listed: 200, queued: 200 - before.rows });
    await until(
      "all 200 transferred",
      async () => (await transferStats(company.companyId)).done === 200,
      240_000,
    );
    const after = await transferStats(company.companyId);
    expect(after).toMatchObject({ rows: 200, invoices: 200, swept: 200 - before.rows });
    const drafts = await economicDrafts(company);
    expect(drafts.total).toBe(200);

    // Nothing new (and no bookings inside the overlap window): one Rackbeat call, nothing queued.
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const again = await sweepCompany(t.db, company.companyId, {
      urls: sandboxes.urls,
      fetch: counting,
      overlapMs: 0,
    });
    expect(again).toMatchObject({ kind: "done", queued: 0, pages: 1 });
    expect(calls).toBe(1);
    const [sweep] = await t.db
      .select()
      .from(rackbeatSweeps)
      .where(eq(rackbeatSweeps.companyId, company.companyId));
    expect(sweep?.watermark).not.toBeNull();
    expect(sweep?.leaseOwner).toBeNull();
  }, 400_000);

  it("one sweep per company at a time: a second concurrent sweep is busy", async () => {
    const company = await sandboxes.createCompany();
    const [a, b] = await Promise.all([
      sweepCompany(t.db, company.companyId, { urls: sandboxes.urls }),
      sweepCompany(t.db, company.companyId, { urls: sandboxes.urls }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(["busy", "done"]);
  });

  it("a backfill of 500 invoices interrupted by a restart finishes with 500 transfers and no duplicates", async () => {
    for (const w of workers.splice(0)) await w.stop({ graceMs: 1_000 });
    const company = await sandboxes.createCompany();
    // Booked before anything could tell us: no webhook ever arrives for these.
    await inBatches(500, 25, (i) => company.bookInvoice(invoice(i), { suppressWebhooks: true }));
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    const preview = await previewBackfill(t.db, company.companyId, yesterday, { urls: sandboxes.urls });
    expect(preview).toEqual({ found: 500, toTransfer: 500 });
    const started = await startBackfill(t.db, {
      companyId: company.companyId,
      since: yesterday,
      expected: 500,
    });
    expect(started.ok).toBe(true);
    expect((await startBackfill(t.db, { companyId: company.companyId, since: today, expected: 0 })).ok).toBe(
      false,
    );

    const first = start({ tickMs: 20, backfillBudgetMs: 50 });
    await until("part of the backfill", async () => {
      const progress = await latestBackfillProgress(t.db, company.companyId);
      return (progress?.backfill.queued ?? 0) >= 100;
    });
    // The "server restart": the process stops mid-way, a new one takes over.
    await first.stop({ graceMs: 0 });
    workers.splice(workers.indexOf(first), 1);
    const midway = await latestBackfillProgress(t.db, company.companyId);
    expect(midway?.backfill.status).toBe("running");
    expect(midway?.backfill.queued).toBeLessThan(500);

    start({ tickMs: 20, backfillBudgetMs: 5_000 });
    await until(
      "the backfill to transfer 500",
      async () => (await latestBackfillProgress(t.db, company.companyId))?.transferred === 500,
      360_000,
    );
    const progress = await latestBackfillProgress(t.db, company.companyId);
    expect(progress).toMatchObject({ transferred: 500, failed: 0, pending: 0 });
    expect(progress?.backfill).toMatchObject({ status: "done", found: 500, queued: 500 });
    expect(await transferStats(company.companyId)).toMatchObject({
      rows: 500,
      invoices: 500,
      backfilled: 500,
    });
    expect((await economicDrafts(company)).total).toBe(500);
    const [running] = await t.db
      .select({ n: count() })
      .from(backfills)
      .where(and(eq(backfills.companyId, company.companyId), eq(backfills.status, "running")));
    expect(Number(running?.n)).toBe(0);
  }, 600_000);
});
