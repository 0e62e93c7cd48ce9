import { type Decimal, parseDecimal, toDecimalString } from "@/lib/money/decimal";

// Arithmetic and the one rounding rule come from lib/money; this adds what only the sandbox needs.

/** Canonical decimal text of a number or numeric string ("1.2500" → "1.25"). */
export function decimalText(value: string | number): string {
  return toDecimalString(parseDecimal(value));
}

/**
 * The JSON number of a stored decimal, as Rackbeat serializes decimals. Exact for every value the
 * sandbox stores (≤ 15 significant digits: prices with ≤ 6 decimals, totals to the øre), because a
 * double's shortest text round-trips.
 */
export function toJsonNumber(value: Decimal | string): number {
  return Number(typeof value === "string" ? decimalText(value) : toDecimalString(value));
}
