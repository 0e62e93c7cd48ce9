import "server-only";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { CREATE_EXTENSIONS, MIGRATIONS_FOLDER, openPglite } from "./pglite-open";
import * as schema from "./schema";

export { MIGRATIONS_FOLDER } from "./pglite-open";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

/** Any constant: serialises migrations when several instances start at once against one Postgres. */
const MIGRATION_LOCK_ID = 72_310_001;

/** A database that does not answer within this fails the request rather than holding it. */
const CONNECT_TIMEOUT_S = 5;

/**
 * The database could not be opened (unreachable, or migrations failed). The digest survives
 * Next's error serialisation, so the error page can say "Databasen svarer ikke" instead of a bare
 * 500; the cause stays in the server log.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
  readonly digest = DATABASE_UNAVAILABLE_DIGEST;
  constructor(cause: unknown) {
    super("The database is not answering", { cause });
  }
}
export const DATABASE_UNAVAILABLE_DIGEST = "DATABASE_UNAVAILABLE";

/**
 * Connection failures once the database was open: Node's socket errors, postgres.js's own codes
 * (CONNECT_TIMEOUT, CONNECTION_*), and Postgres shutting down or starting (57P01, 57P03).
 */
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P03",
]);

/**
 * Whether an error is the database not answering, however deep a library wrapped it (`cause`, or
 * Auth.js's `cause.err`).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 8) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const e = error as { code?: unknown; cause?: unknown; err?: unknown };
  if (typeof e.code === "string" && CONNECTION_ERROR_CODES.has(e.code)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.err, depth + 1);
}

export interface DbOptions {
  /** A Postgres URL; without one, PGlite is used. */
  url?: string;
  /** PGlite data directory; "memory://" for an in-memory database. */
  pgliteDir?: string;
  /** Max connections for postgres.js. */
  max?: number;
}

/** Opens a database and applies every committed migration. */
export async function openDb(options: DbOptions): Promise<DbHandle> {
  if (options.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    // One connection of its own, so the advisory lock and the migration share a session.
    const migrator = postgres(options.url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: CONNECT_TIMEOUT_S,
    });
    try {
      await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      await migrator.unsafe(CREATE_EXTENSIONS);
      await migrate(drizzle(migrator, { casing: "snake_case" }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await migrator.end({ timeout: 5 });
    }
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connect_timeout: CONNECT_TIMEOUT_S,
    });
    const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = await openPglite(options.pgliteDir ?? "memory://");
  const db = drizzle(client, { schema, casing: "snake_case" });
  return { db: db as unknown as Db, kind: "pglite", close: () => client.close() };
}

const globalForDb = globalThis as unknown as { __dbHandle?: Promise<DbHandle> };

/**
 * The process-wide database, created on first use (never at import, so `next build` opens none)
 * and cached on globalThis so development reloads reuse it. A failed open is not cached: the server
 * starts while the database is down and the first call after it comes back opens it, no restart.
 */
export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.__dbHandle) {
    const e = env();
    globalForDb.__dbHandle = openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR }).catch((error) => {
      globalForDb.__dbHandle = undefined;
      throw new DatabaseUnavailableError(error);
    });
  }
  return globalForDb.__dbHandle;
}

/** For tests: forget the process-wide database (after closing it) so the next call opens it anew. */
export async function resetDbHandle(): Promise<void> {
  const handle = globalForDb.__dbHandle;
  globalForDb.__dbHandle = undefined;
  await handle?.then((h) => h.close()).catch(() => undefined);
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Rows of a raw `db.execute(sql...)`: postgres.js returns an array, PGlite an object with rows. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
