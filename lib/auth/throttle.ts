import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";

/**
 * Back-off after repeated failures, stored in the database so every app instance sees the same
 * counts. `freeFailures` failures cost nothing; each one after that locks the key for a doubling
 * wait (2 s, 4 s, 8 s, … up to 15 minutes). Failures older than the window are forgotten.
 *
 * Sign-in is throttled per (e-mail, IP) first, so one attacker cannot lock a known account out for
 * everyone else; per e-mail only at a much higher threshold, and that lock does not hold for an IP
 * with no failures of its own; per IP across e-mails (password spraying). Registration counts each
 * attempt per IP.
 */
export const THROTTLE_POLICY = {
  emailIp: { freeFailures: 5 },
  email: { freeFailures: 100 },
  ip: { freeFailures: 20 },
  /** Overridden by REGISTRATIONS_PER_IP (see RegistrationOptions.freePerIp). */
  register: { freeFailures: 10 },
  maxLockSeconds: 15 * 60,
  windowMinutes: 15,
} as const;

export type ThrottleKind = keyof Pick<typeof THROTTLE_POLICY, "emailIp" | "email" | "ip" | "register">;

export function throttleKey(kind: ThrottleKind, ...values: string[]): string {
  return `${kind === "emailIp" ? "email-ip" : kind}:${values.map((v) => v.trim().toLowerCase()).join("|")}`;
}

export interface ThrottleState {
  /** Failures within the window. */
  failures: number;
  /** Seconds until the key may try again, or 0. */
  lockedSeconds: number;
}

/** The state of each key (keys with no recent failures are absent). */
export async function throttleStates(db: Db, keys: string[]): Promise<Map<string, ThrottleState>> {
  const states = new Map<string, ThrottleState>();
  if (keys.length === 0) return states;
  const rows = rowsOf<{ key: string; failures: number; seconds: number | null }>(
    await db.execute(sql`
      select key, failures,
        case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::int end as seconds
      from login_throttles
      where key in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )}) and last_failure_at >= now() - make_interval(mins => ${THROTTLE_POLICY.windowMinutes}::int)`),
  );
  for (const row of rows) {
    states.set(row.key, { failures: Number(row.failures), lockedSeconds: Math.max(0, row.seconds ?? 0) });
  }
  return states;
}

/** Seconds until the first of these keys may try again, or 0. */
export async function secondsLocked(db: Db, keys: string[]): Promise<number> {
  const states = await throttleStates(db, keys);
  return Math.max(0, ...[...states.values()].map((s) => s.lockedSeconds));
}

export async function recordFailure(
  db: Db,
  key: string,
  kind: ThrottleKind,
  freeFailures: number = THROTTLE_POLICY[kind].freeFailures,
): Promise<void> {
  const free = freeFailures;
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

export async function clearFailures(db: Db, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.execute(
    sql`delete from login_throttles where key in (${sql.join(
      keys.map((k) => sql`${k}`),
      sql`, `,
    )})`,
  );
}
