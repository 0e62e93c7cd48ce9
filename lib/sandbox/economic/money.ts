/**
 * Money and quantities as scaled bigints (2 decimals: cents / hundredths), never floats. JSON numbers
 * are read through their shortest decimal string, which is what the client wrote.
 */

/** `value` × 10^scale as a bigint, or undefined when it has more than `scale` decimals. */
export function toScaled(value: number, scale = 2): bigint | undefined {
  if (!Number.isFinite(value)) return undefined;
  let text = String(value);
  if (/e/i.test(text)) {
    if (!Number.isInteger(value)) return undefined;
    text = BigInt(value).toString();
  }
  const negative = text.startsWith("-");
  if (negative) text = text.slice(1);
  const [whole = "0", fraction = ""] = text.split(".");
  if (fraction.length > scale) return undefined;
  const scaled = BigInt(whole + fraction.padEnd(scale, "0"));
  return negative ? -scaled : scaled;
}

/** The JSON number of a scaled bigint; integer ÷ power of ten gives the correctly rounded double. */
export function fromScaled(value: bigint, scale = 2): number {
  return Number(value) / 10 ** scale;
}

/** n / d rounded half away from zero. */
export function divRound(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (2n * ad);
  return negative ? -q : q;
}

export interface LineAmounts {
  /** hundredths */
  quantity: bigint;
  /** cents */
  unitNetPrice: bigint;
  /** hundredths of a percent */
  discountPercentage: bigint;
}

/** A line's net total in cents: quantity × price less the discount, rounded once. */
export function lineTotalCents(line: LineAmounts): bigint {
  return divRound(line.quantity * line.unitNetPrice * (10_000n - line.discountPercentage), 100n * 10_000n);
}

/** A line without a product (no revenue account): its zone's standard rate, 25 % domestic, else 0 %. */
export function vatRateForZone(vatZoneNumber: number): number {
  return vatZoneNumber === 1 ? 25 : 0;
}
