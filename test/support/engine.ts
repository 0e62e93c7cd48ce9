import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/db/client";
import type { Transfer } from "@/db/schema";
import type { TransferEngineOptions } from "@/lib/transfer/attempt";
import { createTransferProcessor } from "@/lib/transfer/run";
import { startWorker, type TransferWorker, type WorkerOptions } from "@/lib/transfer/worker";
import { createTestDb, type DbKind, type TestDb } from "./db";
import { economicCallsOf, type Sandboxes, startSandboxes, waitForTransfer } from "./sandboxes";

/**
 * The transfer engine's integration-test harness: a fresh test database, both sandboxes on one HTTP
 * server and an in-process worker with short time-outs, started before a suite and stopped after it.
 */

/** Engine options with time-outs and back-offs short enough for tests. */
export const fastEngineOptions: TransferEngineOptions = {
  economic: { timeoutMs: 5_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } },
  rackbeat: { retry: { baseDelayMs: 20, maxDelayMs: 200 } },
  ambiguousSettleMs: 300,
};

export interface TestWorkerOptions extends Partial<Omit<WorkerOptions, "db" | "urls">> {
  /** Merged over `fastEngineOptions` (ignored when `processor` is given). */
  engine?: TransferEngineOptions;
}

/** A worker on the test database and the sandboxes, polling often, retrying fast and logging nothing. */
export function startTestWorker(
  db: Db,
  sandboxes: Sandboxes,
  options: TestWorkerOptions = {},
): TransferWorker {
  const { engine, processor, retryPolicy, ...rest } = options;
  return startWorker({
    db: async () => db,
    processor: processor ?? createTransferProcessor({ ...fastEngineOptions, ...engine }),
    concurrency: 8,
    pollMs: 50,
    leaseMs: 5_000,
    urls: sandboxes.urls,
    logger: { error: () => {}, warn: () => {} },
    ...rest,
    retryPolicy: { baseDelayMs: 50, maxDelayMs: 500, ...retryPolicy },
  });
}

export interface EngineHarness {
  readonly db: Db;
  /** The Postgres URL of the database (postgres kind only): to open a second client, as another process would. */
  readonly url: string | undefined;
  readonly sandboxes: Sandboxes;
  /** Polls until the transfer of a Rackbeat invoice has settled. */
  waitForTransfer(companyId: string, number: string, timeoutMs?: number): Promise<Transfer>;
  /** The e-conomic calls a transfer made, oldest first, as "METHOD path status". */
  callsOf(transfer: Transfer): Promise<string[]>;
}

/**
 * Registers `beforeAll`/`afterAll` for a suite that runs the engine: database, sandboxes and one
 * worker. The returned harness is usable inside the suite's tests (not at collection time).
 */
export function useEngineHarness(kind: DbKind, workerOptions: TestWorkerOptions = {}): EngineHarness {
  let testDb: TestDb | undefined;
  let sandboxes: Sandboxes | undefined;
  let worker: TransferWorker | undefined;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    sandboxes = await startSandboxes(testDb.db);
    worker = startTestWorker(testDb.db, sandboxes, workerOptions);
  }, 60_000);

  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    await sandboxes?.close();
    await testDb?.close();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the engine harness has no ${what} yet (used outside a test?)`);
    return value;
  };
  const harness: EngineHarness = {
    get db() {
      return started(testDb, "database").db;
    },
    get url() {
      return started(testDb, "database").url;
    },
    get sandboxes() {
      return started(sandboxes, "sandboxes");
    },
    waitForTransfer: (companyId, number, timeoutMs) =>
      waitForTransfer(harness.db, companyId, number, timeoutMs),
    callsOf: (transfer) => economicCallsOf(harness.db, transfer.id),
  };
  return harness;
}
