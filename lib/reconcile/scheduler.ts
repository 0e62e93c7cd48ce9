import "server-only";
import type { Db } from "@/db/client";
import type { ExternalUrls } from "@/lib/env";
import { dueFirstSyncs, runFirstSyncStep } from "@/lib/sync/first-sync";
import { dueBackfills, runBackfillStep } from "./backfill";
import { DEFAULT_SWEEP_INTERVAL_MS, dueSweepCompanies, sweepCompany } from "./sweep";

export interface ReconcilerOptions {
  db: () => Promise<Db>;
  /** How often each company is swept (default 10 minutes); 0 turns the sweep off. */
  sweepIntervalMs?: number;
  /** How often the reconciler looks for due sweeps and running backfills (default 5 s). */
  tickMs?: number;
  /** How long one tick may step backfills and first syncs before yielding (default 20 s). */
  backfillBudgetMs?: number;
  owner: string;
  urls?: ExternalUrls;
  fetch?: typeof fetch;
  logger?: Pick<Console, "error">;
}

export interface Reconciler {
  /** Runs one round now (tests and "run once" callers). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs in the worker process beside the transfer workers: each tick sweeps the companies that are
 * due (each sweep takes the company's lease, so several processes never sweep one company at once)
 * and steps the running backfills and first syncs of customers and groups (lib/sync/first-sync.ts)
 * page by page.
 */
export function startReconciler(options: ReconcilerOptions): Reconciler {
  const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const tickMs = options.tickMs ?? 5_000;
  const budget = options.backfillBudgetMs ?? 20_000;
  const log = options.logger ?? console;
  const controller = new AbortController();
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const common = { urls: options.urls, fetch: options.fetch, signal: controller.signal };

  async function round(): Promise<void> {
    const db = await options.db();
    if (interval > 0) {
      for (const companyId of await dueSweepCompanies(db)) {
        if (stopped) return;
        await sweepCompany(db, companyId, { ...common, owner: options.owner, intervalMs: interval }).catch(
          (error: unknown) => log.error(`reconciler: sweeping company ${companyId} failed`, error),
        );
      }
    }
    const until = Date.now() + budget;
    const walks = [
      { name: "backfill", due: dueBackfills, step: runBackfillStep },
      { name: "first sync", due: dueFirstSyncs, step: runFirstSyncStep },
    ] as const;
    for (const walk of walks) {
      for (const id of await walk.due(db)) {
        while (!stopped && Date.now() < until) {
          const step = await walk
            .step(db, id, { ...common, owner: options.owner })
            .catch((error: unknown) => {
              log.error(`reconciler: ${walk.name} ${id} step failed`, error);
              return "busy" as const;
            });
          if (step !== "advanced") break;
        }
      }
    }
  }

  function tick(): Promise<void> {
    running ??= round()
      .catch((error: unknown) => log.error("reconciler: round failed", error))
      .finally(() => {
        running = undefined;
        if (!stopped) {
          clearTimeout(timer);
          timer = setTimeout(tick, tickMs);
          timer.unref();
        }
      });
    return running;
  }

  timer = setTimeout(tick, 0);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      controller.abort(new Error("reconciler stopping"));
      await running;
    },
  };
}
