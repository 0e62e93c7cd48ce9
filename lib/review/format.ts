import type { Locale } from "@/lib/i18n/locale";
import { formatDanish, toDecimalString, tryParseDecimal } from "@/lib/money/decimal";

/** Groups the integer part in threes: "1234567,50" → "1.234.567,50" (Danish) or "1,234,567.50". */
function group(text: string, separator: string, decimalMark: string): string {
  const [whole = "", fraction] = text.split(decimalMark);
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : decimalMark + fraction}`;
}

/** An exact decimal string as money with two decimals; never through a float. */
export function formatAmount(value: string | null, locale: Locale): string {
  const decimal = tryParseDecimal(value);
  if (!decimal) return "";
  if (locale === "da") return group(formatDanish(decimal, 2), ".", ",");
  return group(toDecimalString(decimal, 2), ",", ".");
}

/** A quantity or price as received (up to 6 decimals), in the reader's notation. */
export function formatDecimal(value: string | number | null | undefined, locale: Locale): string {
  const decimal = tryParseDecimal(value ?? null);
  if (!decimal) return value === null || value === undefined ? "" : String(value);
  return locale === "da" ? group(formatDanish(decimal), ".", ",") : group(toDecimalString(decimal), ",", ".");
}

/** YYYY-MM-DD as 01-03-2024 (Danish) or 01/03/2024. */
export function formatDay(value: string | null, locale: Locale): string {
  if (!value) return "";
  const [y, m, d] = value.split("-");
  return locale === "da" ? `${d}-${m}-${y}` : `${d}/${m}/${y}`;
}

/** A count, grouped: 1.000 (Danish) or 1,000. */
export function formatCount(value: number, locale: Locale): string {
  return group(String(value), locale === "da" ? "." : ",", locale === "da" ? "," : ".");
}
