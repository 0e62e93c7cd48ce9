import "server-only";
import { cookies } from "next/headers";
import { LOCALE_COOKIE, type Locale, messagesFor, parseLocale } from "./locale";

/** The request's language: the cookie set at sign-in and on every change, else Danish. */
export async function getLocale(): Promise<Locale> {
  return parseLocale((await cookies()).get(LOCALE_COOKIE)?.value);
}

export async function getMessages() {
  const locale = await getLocale();
  return { locale, t: messagesFor(locale) };
}
