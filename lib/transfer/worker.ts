import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/db/client";
import type { ExternalUrls } from "@/lib/env";
import { type ReconcilerOptions, startReconciler } from "@/lib/reconcile/scheduler";
import {
  claimTransfers,
  completeTransfer,
  DEFAULT_LEASE_MS,
  DEFAULT_PER_COMPANY_LIMIT,
  makeProcessContext,
  type QueueRetryPolicy,
  releaseTransfer,
  updateLeasedTransfer,
} from "./queue";
import { type ClaimedTransfer, LeaseLostError, type ProcessOutcome, type TransferProcessor } from "./types";
import { onTransferQueued } from "./wakeup";
import { DEFAULT_WORKER_CONCURRENCY, DEFAULT_WORKER_POLL_MS } from "./worker-settings";

export interface WorkerOptions {
  db: () => Promise<Db>;
  processor: TransferProcessor;
  /** Transfers processed at once by this worker. */
  concurrency?: number;
  /** How often an idle worker looks for due transfers (retries, other instances' intake). */
  pollMs?: number;
  leaseMs?: number;
  perCompanyLimit?: number;
  workerId?: string;
  urls?: ExternalUrls;
  fetch?: typeof fetch;
  retryPolicy?: Partial<QueueRetryPolicy>;
  /**
   * Wake when a transfer is queued, by any process sharing the database (LISTEN transfer_queued,
   * lib/transfer/wakeup.ts; default true). The poll stays as the fallback.
   */
  listen?: boolean;
  /**
   * Also run the reconciliation sweep and backfills in this process (lib/reconcile). Off unless
   * given: the server and `npm run worker` turn it on; tests that start workers choose.
   */
  reconcile?: Pick<ReconcilerOptions, "sweepIntervalMs" | "tickMs" | "backfillBudgetMs">;
  logger?: Pick<Console, "error" | "warn">;
}

export interface StopOptions {
  /** How long in-flight transfers may run on before their leases are given back (default 10 s). */
  graceMs?: number;
}

export interface TransferWorker {
  readonly id: string;
  /** Stops claiming, lets in-flight transfers finish within the grace time, releases the rest. */
  stop(options?: StopOptions): Promise<void>;
  /** Looks for due transfers now instead of at the next poll. */
  wake(): void;
  /** Resolves when nothing is in flight and the last claim found no more due transfers. */
  idle(): Promise<void>;
}

interface Task {
  transfer: ClaimedTransfer;
  controller: AbortController;
  /** Set when stop() gave the lease back: the outcome, if any, is no longer ours to write. */
  released: boolean;
  done: Promise<void>;
}

/** The longest pause between claims while the database does not answer. */
const MAX_CLAIM_BACKOFF_MS = 5_000;

/** The error code of a processor that threw: the transfer is retried with back-off. */
export const WORKER_EXCEPTION_CODE = "internal";

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/**
 * A polling worker over the durable queue. Claims up to its free slots at a time, heartbeats the
 * lease while a processor runs (every third of the lease), and writes the outcome fenced by the
 * lease. Wakes at once when any process queues a transfer (the intake, a retry, a release: LISTEN/
 * NOTIFY, lib/transfer/wakeup.ts), so an idle worker starts at once without polling that often;
 * the poll covers scheduled retries, expired leases, and a listener that is reconnecting.
 */
export function startWorker(options: WorkerOptions): TransferWorker {
  const id = options.workerId ?? defaultWorkerId();
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_WORKER_CONCURRENCY);
  const pollMs = options.pollMs ?? DEFAULT_WORKER_POLL_MS;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const perCompanyLimit = options.perCompanyLimit ?? DEFAULT_PER_COMPANY_LIMIT;
  const log = options.logger ?? console;

  const tasks = new Map<string, Task>();
  let stopped = false;
  let claiming: Promise<void> | undefined;
  let wakeDuringClaim = false;
  let drained = false;
  let timer: NodeJS.Timeout | undefined;
  let idleWaiters: (() => void)[] = [];
  let claimFailures = 0;
  let unsubscribe: (() => void) | undefined;

  const settle = () => {
    if (tasks.size > 0 || claiming || !(drained || stopped)) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    // A poll alone never keeps a process (a test, a script) alive.
    timer.unref();
  };

  function tick(): void {
    if (stopped) return;
    if (claiming) {
      wakeDuringClaim = true;
      return;
    }
    const free = concurrency - tasks.size;
    if (free <= 0) {
      // A finishing task ticks again.
      schedule(pollMs);
      return;
    }
    wakeDuringClaim = false;
    claiming = claim(free).finally(() => {
      claiming = undefined;
      if (wakeDuringClaim && !stopped && tasks.size < concurrency) setImmediate(tick);
      settle();
    });
  }

  async function claim(free: number): Promise<void> {
    let db: Db;
    let claimed: ClaimedTransfer[];
    try {
      db = await options.db();
      // The first time the database answers: listen for transfers queued by any process.
      if (!unsubscribe && options.listen !== false && !stopped) {
        unsubscribe = onTransferQueued(db, () => worker.wake(), log);
      }
      claimed = await claimTransfers(db, { workerId: id, limit: free, leaseMs, perCompanyLimit });
    } catch (error) {
      // The database is down (or not up yet): back off, and say so once rather than every poll.
      if (claimFailures === 0) log.error(`transfer worker ${id}: claiming failed; retrying`, error);
      claimFailures += 1;
      schedule(Math.min(pollMs * 2 ** Math.min(claimFailures, 10), MAX_CLAIM_BACKOFF_MS));
      return;
    }
    if (claimFailures > 0) log.warn(`transfer worker ${id}: claiming works again`);
    claimFailures = 0;
    if (stopped) {
      // stop() came while claiming: give these back at once.
      await Promise.all(claimed.map((t) => releaseTransfer(db, t, id).catch(() => false)));
      return;
    }
    for (const transfer of claimed) run(db, transfer);
    drained = claimed.length < free;
    // A full claim may have left more due: look again as soon as a slot frees (tasks tick), or poll.
    schedule(pollMs);
  }

  function run(db: Db, transfer: ClaimedTransfer): void {
    const controller = new AbortController();
    const task: Task = { transfer, controller, released: false, done: Promise.resolve() };
    tasks.set(transfer.id, task);
    task.done = processTask(db, task).finally(() => {
      tasks.delete(transfer.id);
      tick();
      settle();
    });
  }

  async function processTask(db: Db, task: Task): Promise<void> {
    const { transfer, controller } = task;
    let lost = false;
    const heartbeat = setInterval(
      () => {
        updateLeasedTransfer(db, transfer.id, id, leaseMs).catch((error: unknown) => {
          if (error instanceof LeaseLostError) {
            lost = true;
            controller.abort(error);
          } else {
            log.warn(`transfer worker ${id}: lease heartbeat of ${transfer.id} failed`, error);
          }
        });
      },
      Math.max(20, Math.floor(leaseMs / 3)),
    );
    let outcome: ProcessOutcome;
    try {
      const ctx = makeProcessContext(db, transfer, {
        workerId: id,
        leaseMs,
        signal: controller.signal,
        urls: options.urls,
        fetch: options.fetch,
      });
      outcome = await options.processor(transfer, ctx);
    } catch (error) {
      // Another worker owns the transfer now, or stop() gave it back: it is not ours to finish.
      if (error instanceof LeaseLostError || lost || task.released) return;
      log.error(`transfer worker ${id}: processing ${transfer.id} threw`, error);
      const name = error instanceof Error ? error.name : typeof error;
      outcome = {
        kind: "retry",
        error: { code: WORKER_EXCEPTION_CODE, params: { detail: name }, detail: name },
      };
    } finally {
      clearInterval(heartbeat);
    }
    if (lost || task.released) return;
    try {
      await completeTransfer(db, transfer, id, outcome, { retryPolicy: options.retryPolicy });
    } catch (error) {
      // The lease runs out and another attempt picks the transfer up.
      log.error(`transfer worker ${id}: recording the outcome of ${transfer.id} failed`, error);
    }
  }

  const reconciler = options.reconcile
    ? startReconciler({
        ...options.reconcile,
        db: options.db,
        owner: id,
        urls: options.urls,
        fetch: options.fetch,
        logger: log,
      })
    : undefined;

  const worker: TransferWorker = {
    id,
    wake() {
      if (stopped) return;
      drained = false;
      tick();
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settle();
      });
    },
    async stop(stopOptions = {}) {
      if (stopped) {
        await Promise.all([...tasks.values()].map((t) => t.done));
        return;
      }
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
      await reconciler?.stop();
      await claiming;
      const graceMs = stopOptions.graceMs ?? 10_000;
      const running = [...tasks.values()];
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<"timeout">((resolve) => {
        graceTimer = setTimeout(() => resolve("timeout"), graceMs);
      });
      const finished = await Promise.race([Promise.all(running.map((t) => t.done)), graceOver]);
      clearTimeout(graceTimer);
      if (finished === "timeout") {
        const db = await options.db();
        await Promise.all(
          [...tasks.values()].map(async (t) => {
            t.released = true;
            t.controller.abort(new Error("worker stopping"));
            await releaseTransfer(db, t.transfer, id).catch((error: unknown) => {
              log.error(`transfer worker ${id}: releasing ${t.transfer.id} failed`, error);
            });
          }),
        );
      }
      settle();
    },
  };

  tick();
  return worker;
}

const processWorker = globalThis as unknown as { __transferWorker?: TransferWorker };

/**
 * The one worker of this process (the Next server's): started once, however often the
 * instrumentation hook or a development reload runs. A server that is killed leaves its leases to
 * expire; another worker then picks those transfers up.
 */
export function startProcessWorker(options: WorkerOptions): TransferWorker {
  processWorker.__transferWorker ??= startWorker(options);
  return processWorker.__transferWorker;
}
