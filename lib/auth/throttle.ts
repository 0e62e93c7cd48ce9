import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";

/**
 * Back-off after repeated failed sign-ins, per e-mail and per IP, stored in the database so every
 * app instance sees the same counts. `freeFailures` failures cost nothing; each one after that locks
 * the key for a doubling wait (2 s, 4 s, 8 s, … up to 15 minutes). Failures older than the window
 * are forgotten.
 */
export const THROTTLE_POLICY = {
  email: { freeFailures: 5 },
  ip: { freeFailures: 20 },
  maxLockSeconds: 15 * 60,
  windowMinutes: 15,
} as const;

export type ThrottleKind = keyof Pick<typeof THROTTLE_POLICY, "email" | "ip">;

export function throttleKey(kind: ThrottleKind, value: string): string {
  return `${kind}:${value.trim().toLowerCase()}`;
}

/** Seconds until the first of these keys may try again, or 0. */
export async function secondsLocked(db: Db, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = rowsOf<{ seconds: number | null }>(
    await db.execute(sql`
      select ceil(extract(epoch from max(locked_until) - now()))::int as seconds
      from login_throttles
      where key in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )}) and locked_until > now()`),
  );
  return Math.max(0, rows[0]?.seconds ?? 0);
}

export async function recordFailure(db: Db, key: string, kind: ThrottleKind): Promise<void> {
  const free = THROTTLE_POLICY[kind].freeFailures;
  const window = THROTTLE_POLICY.windowMinutes;
  const max = THROTTLE_POLICY.maxLockSeconds;
  await db.execute(sql`
    insert into login_throttles as t (key, failures, last_failure_at, locked_until)
    values (${key}, 1, now(), case when 1 >= ${free}::int then now() + interval '2 seconds' end)
    on conflict (key) do update set
      failures = case when t.last_failure_at < now() - make_interval(mins => ${window}::int) then 1 else t.failures + 1 end,
      last_failure_at = now(),
      locked_until = case
        when (case when t.last_failure_at < now() - make_interval(mins => ${window}::int) then 1 else t.failures + 1 end) >= ${free}::int
        then now() + make_interval(secs => least(${max}::int, power(2, (case when t.last_failure_at < now() - make_interval(mins => ${window}::int) then 1 else t.failures + 1 end) - ${free}::int + 1)))
        else null end`);
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from login_throttles where key = ${key}`);
}
