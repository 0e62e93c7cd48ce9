"use server";

import { getDb } from "@/db/client";
import { signOut } from "@/lib/auth";
import { changePassword } from "@/lib/auth/end-sessions";
import { currentUser } from "@/lib/auth/session";
import type { FormState } from "@/lib/forms/state";
import { getMessages } from "@/lib/i18n/server";

/** Changes the password, which ends every session of the user (this one too): sign in again. */
export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { status: "error", message: t.login.invalid };
  const result = await changePassword(await getDb(), user.id, {
    currentPassword: String(formData.get("currentPassword") ?? ""),
    newPassword: String(formData.get("newPassword") ?? ""),
  });
  if (!result.ok) {
    const fieldErrors: Record<string, string[]> =
      result.reason === "wrongPassword"
        ? { currentPassword: [t.password.wrong] }
        : { newPassword: [t.validation.passwordShort] };
    return { status: "error", message: t.register.fixErrors, fieldErrors };
  }
  await signOut({ redirectTo: "/login?passwordChanged=1" });
  return { status: "success" };
}
