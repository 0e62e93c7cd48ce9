/**
 * `npm run worker`: transfer workers in a process of their own, next to (or instead of) the ones in
 * the Next server (run those with WORKER=0 to leave all transfers to these). Any number of these
 * share one Postgres. SIGTERM/SIGINT stop claiming, let in-flight transfers finish for up to
 * WORKER_GRACE_MS (10 s) and give the rest back, so another worker continues them at once instead of
 * after the lease: the same shutdown as the Next server's workers (lib/transfer/shutdown.ts).
 *
 *   WORKER_CONCURRENCY=8 TRANSFER_PER_COMPANY_LIMIT=4 npm run worker
 *
 * Settings (lib/transfer/worker-settings.ts): WORKER_CONCURRENCY, TRANSFER_PER_COMPANY_LIMIT,
 * WORKER_POLL_MS. Idle workers wake at once when any process queues a transfer (LISTEN/NOTIFY).
 */
import { getDbHandle } from "@/db/client";
import { sweepIntervalMs } from "@/lib/reconcile/config";
import { defaultProcessor } from "@/lib/transfer/processor";
import { DEFAULT_SHUTDOWN_GRACE_MS, numberFromEnv, stopWorkerOnSignals } from "@/lib/transfer/shutdown";
import { startWorker } from "@/lib/transfer/worker";
import { workerSettingsFromEnv } from "@/lib/transfer/worker-settings";

const settings = workerSettingsFromEnv();
const graceMs = numberFromEnv(process.env.WORKER_GRACE_MS, DEFAULT_SHUTDOWN_GRACE_MS);

async function main(): Promise<void> {
  const handle = await getDbHandle();
  const worker = startWorker({
    db: async () => handle.db,
    processor: defaultProcessor,
    reconcile: { sweepIntervalMs: sweepIntervalMs() },
    ...settings,
  });
  console.log(
    `transfer worker ${worker.id} started (${handle.kind}; concurrency ${settings.concurrency}, ` +
      `per company ${settings.perCompanyLimit}, poll ${settings.pollMs} ms)`,
  );
  // The poll timer is unref'd: this keeps the process alive until a signal arrives.
  const keepAlive = setInterval(() => {}, 1 << 30);
  stopWorkerOnSignals(worker, {
    graceMs,
    afterStop: async () => {
      clearInterval(keepAlive);
      await handle.close();
    },
  });
}

main().catch((error) => {
  console.error("transfer worker failed to start", error);
  process.exit(1);
});
