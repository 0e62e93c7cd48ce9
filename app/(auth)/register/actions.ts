"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { signIn } from "@/lib/auth";
import { createCompany, EmailTakenError, registerSchema } from "@/lib/auth/register";
import { type FormState, submittedValues } from "@/lib/forms/state";
import { format, LOCALE_COOKIE } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";

const FIELDS = ["companyName", "name", "email"] as const;

export async function registerAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { t, locale } = await getMessages();
  const values = submittedValues(formData, FIELDS);
  const parsed = registerSchema.safeParse({ ...values, password: formData.get("password") ?? "" });
  if (!parsed.success) {
    const raw = z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>;
    const fieldErrors: Record<string, string[]> = {};
    for (const [field, keys] of Object.entries(raw)) {
      fieldErrors[field] = (keys ?? []).map((key) =>
        format(t.validation[key as keyof typeof t.validation] ?? t.validation.required, { max: 120 }),
      );
    }
    return { status: "error", message: t.register.fixErrors, fieldErrors, values };
  }
  const input = parsed.data;
  try {
    await createCompany(await getDb(), input.companyName, [
      { name: input.name, email: input.email, password: input.password, role: "admin", locale },
    ]);
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return {
        status: "error",
        message: t.register.fixErrors,
        fieldErrors: { email: [t.validation.emailTaken] },
        values,
      };
    }
    throw error;
  }
  await signIn("credentials", { email: input.email, password: input.password, redirect: false });
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 31_536_000, sameSite: "lax" });
  redirect("/setup");
}
