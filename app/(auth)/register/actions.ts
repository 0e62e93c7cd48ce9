"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requestIp } from "@/lib/auth";
import { registerSchema } from "@/lib/auth/register";
import { registerCompany } from "@/lib/auth/registration";
import { env } from "@/lib/env";
import { type FormState, submittedValues } from "@/lib/forms/state";
import { format, LOCALE_COOKIE } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { mailerFromEnv } from "@/lib/mail";

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
  const e = env();
  const result = await registerCompany(await getDb(), input, {
    ip: requestIp(await headers()),
    locale,
    mailer: mailerFromEnv(),
    from: `no-reply@${new URL(e.APP_URL).hostname}`,
    appUrl: e.APP_URL.replace(/\/$/, ""),
    freePerIp: e.REGISTRATIONS_PER_IP,
  });
  if (!result.ok) {
    return {
      status: "error",
      message: format(t.login.throttled, { seconds: result.retryAfterSeconds }),
      values,
    };
  }
  // The same answer whether the e-mail was new or taken (its owner is told by e-mail): sign in next.
  void result.notified;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 31_536_000, sameSite: "lax" });
  redirect("/login?registered=1&callbackUrl=%2Fsetup");
}
