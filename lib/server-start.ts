import { getDb } from "@/db/client";
import { ensureDemoData } from "@/db/seed";
import { env, isSandboxMode } from "@/lib/env";

export async function startServer(): Promise<void> {
  const db = await getDb();
  if (isSandboxMode()) await ensureDemoData(db);
  // WORKER=0 leaves the transfers to `npm run worker` processes (or to none, as the benchmark wants).
  if (env().WORKER === "1") {
    const { startProcessWorker } = await import("@/lib/transfer/worker");
    const { defaultProcessor } = await import("@/lib/transfer/processor");
    const { sweepIntervalMs } = await import("@/lib/reconcile/config");
    startProcessWorker({
      db: getDb,
      processor: defaultProcessor,
      reconcile: { sweepIntervalMs: sweepIntervalMs() },
    });
  }
}
