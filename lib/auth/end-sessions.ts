import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "./password";

/**
 * Ends every session of this user, in every browser: sessions are stateless JWTs, so each carries
 * the user's session version, and `currentUser` refuses one that is behind the row.
 */
export async function endAllSessions(db: Db, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

export const newPasswordSchema = z.string().min(8, { error: "passwordShort" }).max(200, { error: "tooLong" });

export type PasswordChangeResult = { ok: true } | { ok: false; reason: "wrongPassword" | "invalid" };

/** Changes the password when the current one is right, and ends every session of the user. */
export async function changePassword(
  db: Db,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<PasswordChangeResult> {
  const next = newPasswordSchema.safeParse(input.newPassword);
  if (!next.success) return { ok: false, reason: "invalid" };
  const [row] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    return { ok: false, reason: "wrongPassword" };
  }
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(next.data), sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
  return { ok: true };
}
