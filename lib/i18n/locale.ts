import { z } from "zod";
import { da, en, type Messages } from "./messages";

export const locales = ["da", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "da";
export const localeSchema = z.enum(locales);
/** Remembers the chosen language for signed-out pages too; the user's own choice is stored on the user. */
export const LOCALE_COOKIE = "locale";

export function parseLocale(value: string | undefined | null): Locale {
  const parsed = localeSchema.safeParse(value);
  return parsed.success ? parsed.data : defaultLocale;
}

export function messagesFor(locale: Locale): Messages {
  return (locale === "en" ? en : da) as Messages;
}

/** Fills `{name}` placeholders. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) =>
    key in values ? String(values[key]) : match,
  );
}
