"use server";

import { eq } from "drizzle-orm";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import { DatabaseUnavailableError, getDb, isDatabaseUnavailable } from "@/db/client";
import { users } from "@/db/schema";
import { signIn } from "@/lib/auth";
import { type FormState, submittedValues } from "@/lib/forms/state";
import { format, LOCALE_COOKIE } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";

export async function loginAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const values = submittedValues(formData, ["email"]);
  const email = (values.email ?? "").trim().toLowerCase();
  try {
    await signIn("credentials", { email, password: String(formData.get("password") ?? ""), redirect: false });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code.startsWith("throttled:")) {
      const seconds = error.code.split(":")[1] ?? "60";
      return { status: "error", message: format(t.login.throttled, { seconds }), values };
    }
    // Not a wrong password: the error page says "Databasen svarer ikke".
    if (isDatabaseUnavailable(error)) throw new DatabaseUnavailableError(error);
    if (error instanceof AuthError) return { status: "error", message: t.login.invalid, values };
    throw error;
  }
  // The user's remembered language follows them to this browser.
  const db = await getDb();
  const [user] = await db.select({ locale: users.locale }).from(users).where(eq(users.email, email)).limit(1);
  if (user)
    (await cookies()).set(LOCALE_COOKIE, user.locale, { path: "/", maxAge: 31_536_000, sameSite: "lax" });
  redirect(safeCallback(formData.get("callbackUrl")));
}

/** Only same-site paths, so the sign-in form cannot be used as an open redirect. */
function safeCallback(value: FormDataEntryValue | null): string {
  // "/" leads to the review, or to the next setup step while the integration is not active.
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return "/";
  return value;
}
