import { type Db, getDb } from "@/db/client";
import { ensureDemoData } from "@/db/seed";
import { env, isSandboxMode } from "@/lib/env";

/** How often the server tries the database again while it does not answer at start. */
const DATABASE_RETRY_MS = 2_000;

/**
 * Runs once per server start (instrumentation.ts). A database that is down does not stop it: the
 * server starts, answers /api/health with 503 and its pages with "Databasen svarer ikke", and becomes
 * whole when the database answers (migrations and demo data then; the workers keep polling).
 */
export async function startServer(): Promise<void> {
  // WORKER=0 leaves the transfers to `npm run worker` processes (or to none, as the benchmark wants).
  if (env().WORKER === "1") {
    const { startProcessWorker } = await import("@/lib/transfer/worker");
    const { defaultProcessor } = await import("@/lib/transfer/processor");
    const { sweepIntervalMs } = await import("@/lib/reconcile/config");
    const { stopWorkerOnSignals } = await import("@/lib/transfer/shutdown");
    const { workerSettingsFromEnv } = await import("@/lib/transfer/worker-settings");
    const worker = startProcessWorker({
      db: getDb,
      processor: defaultProcessor,
      // WORKER_CONCURRENCY, TRANSFER_PER_COMPANY_LIMIT, WORKER_POLL_MS: as in `npm run worker`.
      ...workerSettingsFromEnv(),
      reconcile: { sweepIntervalMs: sweepIntervalMs() },
    });
    // SIGTERM/SIGINT: the workers stop first (up to 10 s), then Next closes its server and exits.
    stopWorkerOnSignals(worker);
  }
  await whenDatabaseAnswers(async (db) => {
    if (isSandboxMode()) await ensureDemoData(db);
  });
}

/**
 * Opens the database (migrating it) and runs `ready`; waits for the first try, and when that
 * fails keeps trying in the background without holding the server's start.
 */
async function whenDatabaseAnswers(ready: (db: Db) => Promise<void>): Promise<void> {
  let failures = 0;
  const attempt = async (): Promise<boolean> => {
    try {
      await ready(await getDb());
      return true;
    } catch (error) {
      if (failures++ === 0) {
        console.error(`database not answering at start; trying again every ${DATABASE_RETRY_MS} ms`, error);
      }
      return false;
    }
  };
  if (await attempt()) return;
  const retry = () => {
    setTimeout(async () => {
      if (await attempt()) console.log("database answers again");
      else retry();
    }, DATABASE_RETRY_MS).unref();
  };
  retry();
}
