import "server-only";
import { and, eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { companies, memberships, type Role, users } from "@/db/schema";
import type { Locale } from "@/lib/i18n/locale";
import { auth } from "./index";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  companyId: string;
  companyName: string;
  role: Role;
}

/**
 * The signed-in user as the database knows them now: the session's claims are re-checked against
 * the membership, so a removed user or a changed role takes effect at once, not at token expiry.
 * The same look-up reads the user's session version: sign-out and password change bump it, so every
 * older session (any browser) is void at once, with no extra query.
 * Memoised per request, so the layout and the page share one look-up.
 */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  const companyId = session?.user?.companyId;
  if (!userId || !companyId) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      locale: users.locale,
      companyId: memberships.companyId,
      companyName: companies.name,
      role: memberships.role,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(and(eq(users.id, userId), eq(memberships.companyId, companyId)))
    .limit(1);
  if (!row || row.sessionVersion !== session.user.sessionVersion) return null;
  const { sessionVersion: _version, ...user } = row;
  return user;
});

/** For pages: the user, or a redirect to /login. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

export function isAdmin(user: CurrentUser | null): user is CurrentUser & { role: "admin" } {
  return user?.role === "admin";
}
