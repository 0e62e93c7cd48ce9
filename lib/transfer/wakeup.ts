import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Wake-up across processes: every statement that makes a transfer due now — the intake's enqueue,
 * a manual retry, a release, a completion that re-queues, a backfill's re-queue, the first sync —
 * also runs `pg_notify('transfer_queued', company_id)` (in the same statement: no extra round trip;
 * delivered when it commits). Each process holds ONE listener per database, which wakes that
 * process's idle workers, whichever process queued the work. Polling stays as the fallback.
 *
 * - Postgres: a dedicated connection (postgres.js, max 1) that LISTENs; when it drops (database
 *   restart), it connects again with back-off and, once listening, wakes the workers, since
 *   notifications sent meanwhile are lost.
 * - PGlite: its own `listen` (the database lives in this process only).
 */

export const TRANSFER_QUEUED_CHANNEL = "transfer_queued";

/**
 * The notification, as an expression for the statement that makes a transfer due (in a select list
 * or a RETURNING): sent on that statement's commit, so no extra round trip.
 */
export const notifyQueuedSql = (companyId: SQL): SQL =>
  sql`pg_notify(${TRANSFER_QUEUED_CHANNEL}, ${companyId}::text)::text`;

/** The longest pause between attempts to listen again while the database does not answer. */
const MAX_RECONNECT_MS = 5_000;
const FIRST_RECONNECT_MS = 250;

type Listener = () => void;

interface Hub {
  listeners: Set<Listener>;
  close(): void;
}

interface PgliteLike {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

interface PostgresJsLike {
  options: Record<string, unknown>;
  unsafe: unknown;
}

type PostgresJsSql = ((strings: TemplateStringsArray, ...values: unknown[]) => Promise<unknown>) & {
  end(options?: { timeout?: number }): Promise<void>;
};

// On globalThis: Next bundles the instrumentation hook and the route handlers separately (two
// module instances, one process), and the process must still have one listener per database.
const g = globalThis as unknown as { __transferWakeupHubs?: WeakMap<object, Hub> };

function hubs(): WeakMap<object, Hub> {
  g.__transferWakeupHubs ??= new WeakMap();
  return g.__transferWakeupHubs;
}

function clientOf(db: Db): object {
  return (db as unknown as { $client: object }).$client;
}

function isPostgresJs(client: object): client is PostgresJsLike {
  return typeof (client as { unsafe?: unknown }).unsafe === "function" && "options" in client;
}

/**
 * Calls `listener` whenever a transfer is queued (due now) in this database, by any process; also
 * when the listener connection (re)connects, since it may have missed some. Returns the
 * unsubscribe function; the last one closes the listener connection.
 */
export function onTransferQueued(
  db: Db,
  listener: Listener,
  logger: Pick<Console, "warn"> = console,
): () => void {
  const client = clientOf(db);
  let hub = hubs().get(client);
  if (!hub) {
    hub = startHub(client, logger);
    hubs().set(client, hub);
  }
  const own = hub;
  own.listeners.add(listener);
  return () => {
    own.listeners.delete(listener);
    if (own.listeners.size === 0 && hubs().get(client) === own) {
      hubs().delete(client);
      own.close();
    }
  };
}

function startHub(client: object, logger: Pick<Console, "warn">): Hub {
  const listeners = new Set<Listener>();
  const wakeAll = () => {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others still wake.
      }
    }
  };
  const close = isPostgresJs(client)
    ? listenPostgres(client, wakeAll, logger)
    : listenPglite(client as unknown as PgliteLike, wakeAll, logger);
  return { listeners, close };
}

function listenPglite(client: PgliteLike, wake: () => void, logger: Pick<Console, "warn">): () => void {
  let closed = false;
  const unlisten = client
    .listen(TRANSFER_QUEUED_CHANNEL, () => wake())
    .catch((error: unknown) => {
      logger.warn("transfer wake-up: listening failed; workers poll only", error);
      return undefined;
    });
  return () => {
    if (closed) return;
    closed = true;
    void unlisten.then((stop) => stop?.()).catch(() => undefined);
  };
}

function listenPostgres(client: PostgresJsLike, wake: () => void, logger: Pick<Console, "warn">): () => void {
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let connection: PostgresJsSql | undefined;

  const retry = () => {
    if (closed || timer) return;
    const ms = Math.min(FIRST_RECONNECT_MS * 2 ** Math.min(failures, 10), MAX_RECONNECT_MS);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, ms);
    timer.unref();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    try {
      if (!connection) {
        const { default: postgres } = await import("postgres");
        // The pool's own (parsed) options, as postgres.js's own `listen` does: one connection
        // that stays open, told of every notification and of its own end.
        connection = postgres({
          ...(client.options as object),
          max: 1,
          idle_timeout: null,
          max_lifetime: null,
          fetch_types: false,
          onnotify: () => wake(),
          onclose: () => {
            if (!closed) retry();
          },
        } as never) as unknown as PostgresJsSql;
      }
      await connection`listen transfer_queued`;
      if (failures > 0) logger.warn("transfer wake-up: listening again");
      failures = 0;
      // Anything queued while not listening was not heard: look now.
      wake();
    } catch (error) {
      if (closed) return;
      if (failures === 0) logger.warn("transfer wake-up: listening failed; workers poll meanwhile", error);
      failures += 1;
      retry();
    }
  }

  void connect();
  return () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    void connection?.end({ timeout: 1 }).catch(() => undefined);
  };
}
