/**
 * `npm run worker`: transfer workers in a process of their own, next to (or instead of) the ones in
 * the Next server (run those with WORKER=0 to leave all transfers to these). Any number of these
 * share one Postgres. SIGTERM/SIGINT stop claiming, let in-flight transfers finish for a while and
 * give the rest back, so another worker continues them at once instead of after the lease.
 *
 *   WORKER_CONCURRENCY=8 npm run worker
 */
import { getDbHandle } from "@/db/client";
import { sweepIntervalMs } from "@/lib/reconcile/config";
import { defaultProcessor } from "@/lib/transfer/processor";
import { startWorker } from "@/lib/transfer/worker";

const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 4);
const graceMs = Number(process.env.WORKER_GRACE_MS ?? 20_000);

async function main(): Promise<void> {
  const handle = await getDbHandle();
  const worker = startWorker({
    db: async () => handle.db,
    processor: defaultProcessor,
    reconcile: { sweepIntervalMs: sweepIntervalMs() },
    concurrency: Number.isFinite(concurrency) && concurrency > 0 ? concurrency : 4,
  });
  console.log(`transfer worker ${worker.id} started (${handle.kind})`);
  // The poll timer is unref'd: this keeps the process alive until a signal arrives.
  const keepAlive = setInterval(() => {}, 1 << 30);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`transfer worker ${worker.id}: ${signal}, stopping`);
    try {
      await worker.stop({ graceMs });
      await handle.close();
    } finally {
      clearInterval(keepAlive);
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  console.error("transfer worker failed to start", error);
  process.exit(1);
});
