"use server";

import { cookies } from "next/headers";
import { LOCALE_COOKIE, localeSchema } from "@/lib/i18n/locale";

/** Signed-out visitors: the language lives in a cookie only. */
export async function setLocaleAction(formData: FormData): Promise<void> {
  const parsed = localeSchema.safeParse(formData.get("locale"));
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
  });
}
