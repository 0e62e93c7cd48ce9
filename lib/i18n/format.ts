import { round2, toDecimalString, tryParseDecimal } from "@/lib/money/decimal";
import type { Locale } from "./locale";

/**
 * The one place dates, times, money and numbers are written for a reader, through Intl with
 * `da-DK` or `en-GB`: money always with two decimals, thousands separators and the currency code
 * after ("1.234,50 DKK", "1,234.50 DKK"); dates in one style ("1. mar. 2024", "1 Mar 2024");
 * times in Danish time, whichever language is read, as our users are Danish businesses.
 * Exact decimal strings go to Intl as strings, so no amount ever passes through a float.
 */

/** Our users are Danish businesses: times are Danish time whatever language they read. */
export const DANISH_TIME_ZONE = "Europe/Copenhagen";

const intlLocale: Record<Locale, string> = { da: "da-DK", en: "en-GB" };

const byLocale = <T>(make: (tag: string) => T): Record<Locale, T> => ({
  da: make(intlLocale.da),
  en: make(intlLocale.en),
});

const money = byLocale(
  (tag) => new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
);
const decimal = byLocale((tag) => new Intl.NumberFormat(tag, { maximumFractionDigits: 6 }));
const count = byLocale((tag) => new Intl.NumberFormat(tag, { maximumFractionDigits: 0 }));
const day = byLocale((tag) => new Intl.DateTimeFormat(tag, { timeZone: "UTC", dateStyle: "medium" }));
const dateTime = {
  minute: byLocale(
    (tag) =>
      new Intl.DateTimeFormat(tag, { timeZone: DANISH_TIME_ZONE, dateStyle: "medium", timeStyle: "short" }),
  ),
  second: byLocale(
    (tag) =>
      new Intl.DateTimeFormat(tag, { timeZone: DANISH_TIME_ZONE, dateStyle: "medium", timeStyle: "medium" }),
  ),
};
const time = byLocale(
  (tag) => new Intl.DateTimeFormat(tag, { timeZone: DANISH_TIME_ZONE, hour: "2-digit", minute: "2-digit" }),
);

type Amount = string | number | null | undefined;

/** An amount with two decimals and thousands separators, "1.234,50"; "" when there is none. */
export function formatAmount(value: Amount, locale: Locale): string {
  const parsed = tryParseDecimal(value ?? null);
  if (!parsed) return "";
  // Intl's string input keeps every digit (ES2023 Intl.NumberFormat v3); rounding is ours.
  return money[locale].format(toDecimalString(round2(parsed), 2) as unknown as number);
}

/** Money: the amount, then the currency code, "1.234,50 DKK". */
export function formatMoney(value: Amount, currency: string | null | undefined, locale: Locale): string {
  const amount = formatAmount(value, locale);
  if (!amount) return "";
  return currency ? `${amount} ${currency}` : amount;
}

/** A quantity, price or percentage as received (up to 6 decimals), grouped: "1.234,5". */
export function formatDecimal(value: Amount, locale: Locale): string {
  const parsed = tryParseDecimal(value ?? null);
  if (!parsed) return value === null || value === undefined ? "" : String(value);
  return decimal[locale].format(toDecimalString(parsed) as unknown as number);
}

/** A count, grouped: 1.000 (Danish) or 1,000. */
export function formatCount(value: number, locale: Locale): string {
  return count[locale].format(value);
}

/** A calendar day given as YYYY-MM-DD (an invoice date): "1. mar. 2024" or "1 Mar 2024". */
export function formatDate(value: string | null | undefined, locale: Locale): string {
  if (!value) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  return day[locale].format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

/** A moment in Danish time; "second" where the order of close events matters (attempts, calls). */
export function formatDateTime(
  value: Date | null | undefined,
  locale: Locale,
  precision: "minute" | "second" = "minute",
): string {
  return value ? dateTime[precision][locale].format(value) : "";
}

/** A time of day in Danish time: "14.05" (Danish) or "14:05". */
export function formatTime(value: Date | null | undefined, locale: Locale): string {
  return value ? time[locale].format(value) : "";
}
