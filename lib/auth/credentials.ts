import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { memberships, type Role, users } from "@/db/schema";
import { DEMO_USERS } from "@/db/seed-users";
import { isSandboxMode } from "@/lib/env";
import type { Locale } from "@/lib/i18n/locale";
import { dummyPasswordHash, verifyPassword } from "./password";
import { clearFailures, recordFailure, throttleKey, throttleStates } from "./throttle";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(1).max(200),
});

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  companyId: string;
  role: Role;
  locale: Locale;
  /** Stored in the session; a session whose version is behind the user's row is void. */
  sessionVersion: number;
}

export type AuthenticationResult =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** The demo accounts sign in only in sandbox mode, even when a production database holds them. */
export function isDemoEmail(email: string): boolean {
  return DEMO_EMAILS.has(email.trim().toLowerCase());
}
const DEMO_EMAILS: ReadonlySet<string> = new Set(Object.values(DEMO_USERS).map((u) => u.email));

/**
 * Checks e-mail and password with the same work whether the e-mail exists or not, and the same
 * answer for a wrong e-mail and a wrong password, so neither timing nor message reveals users.
 * Throttled per (e-mail, IP), per IP, and per e-mail at a far higher threshold that does not hold
 * for an IP with no failures of its own (see THROTTLE_POLICY).
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip?: string | null },
  options: { sandbox?: boolean } = {},
): Promise<AuthenticationResult> {
  const parsed = credentialsSchema.safeParse(input);
  const email = parsed.success ? parsed.data.email : String(input.email ?? "").toLowerCase();
  const ip = input.ip || "unknown";
  const keys = {
    emailIp: throttleKey("emailIp", email, ip),
    email: throttleKey("email", email),
    ip: throttleKey("ip", ip),
  };

  const wait = await lockFor(db, keys);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: wait };

  const row = parsed.success ? await findUser(db, email) : undefined;
  const hash = row?.passwordHash ?? (await dummyPasswordHash());
  const passwordOk = await verifyPassword(parsed.success ? parsed.data.password : "", hash);

  if (!row || !passwordOk) {
    await recordFailure(db, keys.emailIp, "emailIp");
    await recordFailure(db, keys.email, "email");
    await recordFailure(db, keys.ip, "ip");
    return { ok: false, reason: "invalid" };
  }
  if (isDemoEmail(email) && !(options.sandbox ?? isSandboxMode())) {
    console.warn(
      `sign-in refused: ${email} is a demo account, which signs in only in sandbox mode (SANDBOX=1). ` +
        "Delete it from this production database.",
    );
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(db, [keys.emailIp, keys.email]);
  const { passwordHash: _ignored, ...user } = row;
  return { ok: true, user };
}

/** The wait before this attempt may be checked: the e-mail-wide lock only binds IPs that failed too. */
async function lockFor(db: Db, keys: { emailIp: string; email: string; ip: string }): Promise<number> {
  const states = await throttleStates(db, Object.values(keys));
  const seconds = (key: string) => states.get(key)?.lockedSeconds ?? 0;
  const ipHasFailures = (states.get(keys.ip)?.failures ?? 0) > 0;
  return Math.max(seconds(keys.emailIp), seconds(keys.ip), ipHasFailures ? seconds(keys.email) : 0);
}

async function findUser(db: Db, email: string) {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      passwordHash: users.passwordHash,
      locale: users.locale,
      sessionVersion: users.sessionVersion,
      companyId: memberships.companyId,
      role: memberships.role,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, email))
    .limit(1);
  return row;
}
