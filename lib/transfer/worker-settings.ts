/**
 * The transfer workers' settings, the same for the Next server's in-process worker and for
 * `npm run worker` (README, settings table):
 *
 *   WORKER_CONCURRENCY          transfers one process runs at once (default 4)
 *   TRANSFER_PER_COMPANY_LIMIT  transfers of one company in flight at once, across every process
 *                               sharing the database (default 4)
 *   WORKER_POLL_MS              how often an idle worker looks for due work without being woken
 *                               (default 500; the wake-up (lib/transfer/wakeup.ts) starts new work
 *                               at once, the poll finds scheduled retries and expired leases)
 *
 * The per-company default: e-conomic documents its fair use as 50,000 API calls per 24 hours per
 * agreement and no limit on concurrent calls; excessive load may get an integration's access
 * restricted without warning (https://e-conomic.com/developer/fair-use-policy; spec:
 * /work/shared/spec/economic-api.md "Rate", where a token bucket answers 429). So one company's
 * agreement gets a few calls at a time, never the whole worker pool: 4 transfers of ~2 calls each
 * in flight, which also keeps a company's backlog from starving the others.
 */
export const DEFAULT_WORKER_CONCURRENCY = 4;
export const DEFAULT_TRANSFER_PER_COMPANY_LIMIT = 4;
export const DEFAULT_WORKER_POLL_MS = 500;

export interface WorkerSettings {
  concurrency: number;
  perCompanyLimit: number;
  pollMs: number;
}

/** A positive whole number from the environment, or the fallback when unset or not one. */
function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

export function workerSettingsFromEnv(env: Record<string, string | undefined> = process.env): WorkerSettings {
  return {
    concurrency: positiveInt(env.WORKER_CONCURRENCY, DEFAULT_WORKER_CONCURRENCY),
    perCompanyLimit: positiveInt(env.TRANSFER_PER_COMPANY_LIMIT, DEFAULT_TRANSFER_PER_COMPANY_LIMIT),
    pollMs: positiveInt(env.WORKER_POLL_MS, DEFAULT_WORKER_POLL_MS),
  };
}
