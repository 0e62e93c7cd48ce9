import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { memberships, type Role, users } from "@/db/schema";
import type { Locale } from "@/lib/i18n/locale";
import { dummyPasswordHash, verifyPassword } from "./password";
import { clearFailures, recordFailure, secondsLocked, throttleKey } from "./throttle";

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
}

export type AuthenticationResult =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks e-mail and password with the same work whether the e-mail exists or not, and the same
 * answer for a wrong e-mail and a wrong password, so neither timing nor message reveals users.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip?: string | null },
): Promise<AuthenticationResult> {
  const parsed = credentialsSchema.safeParse(input);
  const email = parsed.success ? parsed.data.email : String(input.email ?? "").toLowerCase();
  const emailKey = throttleKey("email", email);
  const ipKey = input.ip ? throttleKey("ip", input.ip) : undefined;
  const keys = ipKey ? [emailKey, ipKey] : [emailKey];

  const wait = await secondsLocked(db, keys);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: wait };

  const [row] = parsed.success
    ? await db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          passwordHash: users.passwordHash,
          locale: users.locale,
          companyId: memberships.companyId,
          role: memberships.role,
        })
        .from(users)
        .innerJoin(memberships, eq(memberships.userId, users.id))
        .where(eq(users.email, email))
        .limit(1)
    : [];
  const hash = row?.passwordHash ?? (await dummyPasswordHash());
  const passwordOk = await verifyPassword(parsed.success ? parsed.data.password : "", hash);

  if (!row || !passwordOk) {
    await recordFailure(db, emailKey, "email");
    if (ipKey) await recordFailure(db, ipKey, "ip");
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(db, emailKey);
  const { passwordHash: _ignored, ...user } = row;
  return { ok: true, user };
}
