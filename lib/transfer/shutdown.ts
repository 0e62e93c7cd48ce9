import type { TransferWorker } from "./worker";

/** How long running transfers may go on after SIGTERM before their leases are given back. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface ShutdownOptions {
  graceMs?: number;
  /** Runs after the worker stopped (close the database, say); errors are logged. */
  afterStop?: () => Promise<void>;
  logger?: Pick<Console, "log" | "error">;
  /** For tests; default `process.exit`. */
  exit?: (code: number) => void;
}

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * Graceful shutdown of a process's transfer worker on SIGTERM/SIGINT, the same in the Next server
 * and in `npm run worker`: stop claiming, let running transfers finish for up to `graceMs`, give
 * the rest of the leases back (so another instance continues them at once instead of after the
 * lease), then let the process end. Listeners registered before this one (Next's own: close the
 * HTTP server, then exit) run after the worker stopped; without any, the process exits. A second
 * signal while stopping exits at once.
 */
export function stopWorkerOnSignals(worker: TransferWorker, options: ShutdownOptions = {}): () => void {
  const log = options.logger ?? console;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const graceMs = options.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  const previous = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  let stopping = false;

  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.log(`transfer worker ${worker.id}: ${signal} again, exiting now`);
      exit(1);
      return;
    }
    stopping = true;
    log.log(`transfer worker ${worker.id}: ${signal}, stopping (up to ${graceMs} ms)`);
    void (async () => {
      try {
        await worker.stop({ graceMs });
        await options.afterStop?.();
        log.log(`transfer worker ${worker.id}: stopped`);
      } catch (error) {
        log.error(`transfer worker ${worker.id}: stopping failed`, error);
      }
      const others = previous.get(signal as (typeof SIGNALS)[number]) ?? [];
      if (others.length === 0) exit(0);
      for (const listener of others) (listener as (s: NodeJS.Signals) => void)(signal);
    })();
  };

  for (const signal of SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, handle);
  }
  return () => {
    for (const signal of SIGNALS) {
      process.removeListener(signal, handle);
      for (const listener of previous.get(signal) ?? []) process.on(signal, listener as () => void);
    }
  };
}

/** A non-negative number setting from the environment: unset, empty or invalid gives the default. */
export function numberFromEnv(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
}
