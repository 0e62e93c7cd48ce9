import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "./client";

export type DatabaseHealth =
  | { ok: true }
  /** `unreachable`: it refused or failed; `timeout`: no answer within the bound. */
  | { ok: false; reason: "database_unreachable" | "database_timeout" };

/**
 * Whether the database answers a trivial query now, within `timeoutMs`. Opens the process-wide
 * database when it is not open yet (the server may have started before the database did), so the
 * first check after the database comes back makes the whole server work again.
 */
export async function checkDatabase(timeoutMs = 3_000): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<DatabaseHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "database_timeout" }), timeoutMs);
  });
  const probe = (async (): Promise<DatabaseHealth> => {
    try {
      await (await getDb()).execute(sql`select 1`);
      return { ok: true };
    } catch (error) {
      console.error("health: the database does not answer", error);
      return { ok: false, reason: "database_unreachable" };
    }
  })();
  try {
    return await Promise.race([probe, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
