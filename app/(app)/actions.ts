"use server";

import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { signOut } from "@/lib/auth";
import { endAllSessions } from "@/lib/auth/end-sessions";
import { currentUser } from "@/lib/auth/session";
import { LOCALE_COOKIE, localeSchema } from "@/lib/i18n/locale";

/** Ends this user's sessions everywhere (the cookie alone would stay valid until it expires). */
export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await endAllSessions(await getDb(), user.id);
  await signOut({ redirectTo: "/login" });
}

/** Remembered on the user (any browser they sign in from) and in this browser's cookie. */
export async function setUserLocaleAction(formData: FormData): Promise<void> {
  const parsed = localeSchema.safeParse(formData.get("locale"));
  const user = await currentUser();
  if (!parsed.success || !user) return;
  const db = await getDb();
  await db.update(users).set({ locale: parsed.data }).where(eq(users.id, user.id));
  (await cookies()).set(LOCALE_COOKIE, parsed.data, { path: "/", maxAge: 31_536_000, sameSite: "lax" });
  revalidatePath("/", "layout");
}
