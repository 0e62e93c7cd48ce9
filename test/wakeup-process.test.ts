import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { transfers } from "@/db/schema";
import { createTestDb, type TestDb } from "@/test/support/db";
import { isSettled, type Sandboxes, startSandboxes } from "@/test/support/sandboxes";
import { startWorkerProcess, type WorkerProcess } from "@/test/support/worker-process";

/**
 * A worker in a process of its own wakes on the intake's NOTIFY (lib/transfer/wakeup.ts) long
 * before its poll, and listens again after its listener connection was cut. Postgres only: several
 * processes cannot share a PGlite.
 */
describe.runIf(process.env.DATABASE_URL)("wake-up across processes (postgres)", () => {
  const POLL_MS = 60_000;
  let testDb: TestDb;
  let sandboxes: Sandboxes;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    testDb = await createTestDb("postgres");
    sandboxes = await startSandboxes(testDb.db);
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await sandboxes?.close();
    await testDb?.close();
  });

  async function settledWithin(companyId: string, number: string, ms: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const [row] = await testDb.db
        .select()
        .from(transfers)
        .where(sql`${transfers.companyId} = ${companyId} and ${transfers.rackbeatInvoiceNumber} = ${number}`);
      if (row && isSettled(row)) return Date.now() - started;
      if (Date.now() - started > ms) {
        throw new Error(`not settled within ${ms} ms: ${JSON.stringify(row)}\n${worker?.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The worker process's LISTEN connection, once it listens. */
  async function listenerPids(): Promise<number[]> {
    return rowsOf<{ pid: number }>(
      await testDb.db.execute(sql`
        select pid from pg_stat_activity
        where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`),
    ).map((r) => Number(r.pid));
  }

  async function waitForListener(): Promise<number[]> {
    for (let i = 0; i < 200; i++) {
      const pids = await listenerPids();
      if (pids.length > 0) return pids;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the worker process never listened:\n${worker?.output()}`);
  }

  it("an idle worker process with a one-minute poll books an invoice within seconds of its webhook, also after its listener was cut", async () => {
    const company = await sandboxes.createCompany();
    await company.seedEconomicMasterData({ customers: [101], products: ["KAF-100"] });
    // The server in this test process receives the webhooks and queues; only the worker process transfers.
    worker = await startWorkerProcess({
      DATABASE_URL: testDb.url!,
      APP_URL: sandboxes.url,
      WORKER_POLL_MS: String(POLL_MS),
    });
    expect(worker.output()).toMatch(/poll 60000 ms/);
    await waitForListener();
    // Its first claim (at start) is over: from here on only a wake-up or the poll a minute later claims.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const invoice = { customer_id: 101, lines: [{ child_id: "KAF-100", quantity: 1 }] };
    const first = await company.bookInvoice(invoice);
    expect(await settledWithin(company.companyId, first, 15_000)).toBeLessThan(15_000);

    // The database cuts the listener's connection: it listens again on a new one.
    const [before] = await listenerPids();
    await testDb.db.execute(sql`select pg_terminate_backend(${before!}::int)`);
    let after: number[] = [];
    for (let i = 0; i < 200 && !after.some((pid) => pid !== before); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await listenerPids();
    }
    expect(after.filter((pid) => pid !== before)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await company.bookInvoice(invoice);
    expect(await settledWithin(company.companyId, second, 15_000)).toBeLessThan(15_000);

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 90_000);
});
