/**
 * Exact decimal arithmetic for money, quantities and rates.
 *
 * A value is `units / 10^scale` with `units` a bigint, so nothing is ever rounded by accident.
 * There is exactly ONE rounding rule in the code base: `roundDecimal` rounds half away from zero
 * (1.005 → 1.01, -1.005 → -1.01), the rule Danish invoicing (and e-conomic's line totals) use.
 */

export type Decimal = { readonly units: bigint; readonly scale: number };

export class DecimalParseError extends Error {
  constructor(readonly input: string) {
    super(`Not a decimal number: "${input}"`);
    this.name = "DecimalParseError";
  }
}

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const ZERO: Decimal = { units: 0n, scale: 0 };
export const ONE: Decimal = { units: 1n, scale: 0 };
export const HUNDRED: Decimal = { units: 100n, scale: 0 };

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function makeDecimal(units: bigint, scale: number): Decimal {
  if (scale >= 0) return { units, scale };
  // Exponent notation like "1e3" yields a negative scale; fold it into the units instead.
  return { units: units * pow10(-scale), scale: 0 };
}

/**
 * Parses "12.345678", "-0.5", ".5", "1e-7" or a JSON number. Numbers go through their shortest
 * round-trip string (`String(12.345678)` is "12.345678"), so the digits the sender wrote survive
 * and no float arithmetic ever happens.
 */
export function parseDecimal(input: string | number | bigint): Decimal {
  if (typeof input === "bigint") return { units: input, scale: 0 };
  if (typeof input === "number" && !Number.isFinite(input)) throw new DecimalParseError(String(input));
  const text = String(input).trim();
  const match = DECIMAL_PATTERN.exec(text);
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match ?? [];
  if (!match || (whole === "" && fraction === "")) throw new DecimalParseError(text);
  const magnitude = BigInt(`${whole}${fraction}` || "0");
  const units = sign === "-" ? -magnitude : magnitude;
  return makeDecimal(units, fraction.length - Number(exponent));
}

/** Like `parseDecimal`, for validation paths that must not throw. */
export function tryParseDecimal(input: string | number | null | undefined): Decimal | null {
  if (input === null || input === undefined) return null;
  try {
    return parseDecimal(input);
  } catch {
    return null;
  }
}

export function isDecimalInput(input: string | number): boolean {
  return tryParseDecimal(input) !== null;
}

/** Rewrites a value at a larger scale without changing it. */
function rescale(value: Decimal, scale: number): bigint {
  return value.units * pow10(scale - value.scale);
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescale(a, scale), rescale(b, scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function negate(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

export function abs(a: Decimal): Decimal {
  return a.units < 0n ? negate(a) : a;
}

export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce(add, ZERO);
}

/** Exact division by a power of ten, e.g. a percentage (`shiftLeft(p, 2)` is p / 100). */
export function shiftLeft(a: Decimal, places: number): Decimal {
  return { units: a.units, scale: a.scale + places };
}

/** -1, 0 or 1. */
export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function equals(a: Decimal, b: Decimal): boolean {
  return compare(a, b) === 0;
}

export function sign(a: Decimal): -1 | 0 | 1 {
  return a.units < 0n ? -1 : a.units > 0n ? 1 : 0;
}

export function isZero(a: Decimal): boolean {
  return a.units === 0n;
}

export function isWhole(a: Decimal): boolean {
  return decimalPlaces(a) === 0;
}

/** Drops trailing zeros: 1.2500 → 1.25, so scale equals the significant decimals. */
export function normalize(a: Decimal): Decimal {
  let { units, scale } = a;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** Significant decimals: "2.50" has 1, "1.333" has 3, "100" has 0. */
export function decimalPlaces(a: Decimal): number {
  return normalize(a).scale;
}

/**
 * THE rounding rule: half away from zero, to `places` decimals (2.345 → 2.35, -2.345 → -2.35,
 * 2.3449 → 2.34). The result has exactly `places` scale, so it formats with fixed decimals.
 */
export function roundDecimal(a: Decimal, places: number): Decimal {
  if (!Number.isInteger(places) || places < 0) throw new RangeError(`Invalid decimal places: ${places}`);
  if (a.scale <= places) return { units: rescale(a, places), scale: places };
  const divisor = pow10(a.scale - places);
  const magnitude = a.units < 0n ? -a.units : a.units;
  const quotient = magnitude / divisor;
  const rounded = (magnitude % divisor) * 2n >= divisor ? quotient + 1n : quotient;
  return { units: a.units < 0n ? -rounded : rounded, scale: places };
}

/** Money at e-conomic's precision: two decimals, the one rounding rule. */
export function round2(a: Decimal): Decimal {
  return roundDecimal(a, 2);
}

/** Plain string, no exponent, no trailing zeros beyond `minPlaces`: "-1234.5". */
export function toDecimalString(a: Decimal, minPlaces = 0): string {
  const n = normalize(a);
  const value = n.scale < minPlaces ? { units: rescale(n, minPlaces), scale: minPlaces } : n;
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, "0");
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = value.scale > 0 ? `.${digits.slice(digits.length - value.scale)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** Rounds (the one rule) and prints exactly `places` decimals: toFixedString(1.005, 2) → "1.01". */
export function toFixedString(a: Decimal, places: number): string {
  return toDecimalString(roundDecimal(a, places), places);
}

/**
 * Danish notation with a decimal comma and no thousands separator ("1,333", "-12,345678"), for
 * free text such as invoice line descriptions, where a grouping dot would read as a decimal point.
 */
export function formatDanish(a: Decimal, minPlaces = 0): string {
  return toDecimalString(a, minPlaces).replace(".", ",");
}

/**
 * The JSON number e-conomic gets for an amount, quantity or price. Rounds to two decimals first,
 * so the number printed by JSON.stringify (shortest round-trip form) is exactly those digits.
 */
export function toEconomicNumber(a: Decimal, places = 2): number {
  const rounded = roundDecimal(a, places);
  const magnitude = rounded.units < 0n ? -rounded.units : rounded.units;
  if (magnitude > MAX_SAFE) throw new RangeError(`Too large for a JSON number: ${toDecimalString(rounded)}`);
  return Number(toDecimalString(rounded));
}

/** Integer øre (or cents) after rounding to two decimals, for exact comparisons and storage. */
export function toMinorUnits(a: Decimal): bigint {
  return round2(a).units;
}

export function fromMinorUnits(minor: bigint): Decimal {
  return { units: minor, scale: 2 };
}
