import { economicVatAmount } from "@/lib/economic/vat";
import {
  abs,
  add,
  compare,
  type Decimal,
  decimalPlaces,
  fromMinorUnits,
  HUNDRED,
  isZero,
  multiply,
  parseDecimal,
  round2,
  shiftLeft,
  sign,
  subtract,
  sum,
  toDecimalString,
  toMinorUnits,
} from "./decimal";

/**
 * THE money module: how Rackbeat's line figures become e-conomic draft lines, so that
 *
 *   e-conomic net = Rackbeat subtotal and e-conomic gross = Rackbeat total, to the øre.
 *
 * e-conomic holds at most 2 decimals in a line's quantity, unit price and discount, and computes a
 * line's net as round2(quantity × unitNetPrice × (1 − discount/100)) (`economicLineNet`). Its VAT
 * comes from `lib/economic/vat.ts`. Rackbeat's figures may carry 6 decimals, and Rackbeat may round
 * its subtotal once or per line: this module takes Rackbeat's subtotal and total as the targets and
 * does not depend on how Rackbeat got them.
 *
 * 1. Each line's target is its exact amount rounded half away from zero. When those targets do not
 *    add up to Rackbeat's subtotal, lines whose exact amount had more than 2 decimals take the other
 *    rounding (one øre each, those closest to it first, lines already carried as free amounts
 *    before others). A gap larger than that is a real disagreement.
 * 2. A line is sent as it is when e-conomic computes exactly its target from its own figures.
 *    Otherwise: with "Brug faktisk antal" off it is collapsed to quantity 1 (−1 on credit lines) at
 *    the target amount; with it on it keeps its quantity (rounded to 2 decimals when needed) with the
 *    2-decimal unit price that makes e-conomic compute the target, and is collapsed only when no
 *    such price exists. The original quantity and price go into the line text.
 * 3. VAT and gross are predicted with e-conomic's rule and compared with Rackbeat's total.
 */

export type SourceLine = {
  quantity: Decimal;
  unitPrice: Decimal;
  /** Percent; absent or zero: no discount. */
  discount?: Decimal;
  /** The VAT rate e-conomic applies to this line (its revenue account's VAT code). */
  vatRatePercent: number;
};

export type LineForm =
  /** Quantity, price and discount as Rackbeat has them. */
  | "as_is"
  /** "Brug faktisk antal": quantity to 2 decimals, unit price chosen so the line total is exact. */
  | "rounded"
  /** Quantity 1 (−1) at the line's amount. */
  | "collapsed";

export type EconomicLineFigures = {
  form: LineForm;
  quantity: Decimal;
  unitNetPrice: Decimal;
  discount?: Decimal;
  /** What e-conomic computes for the line (2 decimals). */
  netAmount: Decimal;
  /** Rackbeat's exact amount, unrounded. */
  exactNet: Decimal;
  /** True when the line text must carry the original quantity and price. */
  noted: boolean;
};

export type InvoiceTargets = {
  /** Rackbeat's subtotal (net). */
  net: Decimal;
  /** Rackbeat's total (gross); without it only the net is checked. */
  gross?: Decimal;
};

export type AmountCheck = {
  rackbeatNet: Decimal;
  economicNet: Decimal;
  rackbeatGross?: Decimal;
  economicVat: Decimal;
  economicGross: Decimal;
  netMatches: boolean;
  grossMatches: boolean;
};

export type EconomicLinePlan = { lines: EconomicLineFigures[]; check: AmountCheck };

const PLACES = 2;

function fits(value: Decimal | undefined): boolean {
  return value === undefined || decimalPlaces(value) <= PLACES;
}

/** quantity × price × (1 − discount/100), exact. */
export function exactLineNet(quantity: Decimal, unitPrice: Decimal, discount?: Decimal): Decimal {
  const gross = multiply(quantity, unitPrice);
  if (discount === undefined) return gross;
  return shiftLeft(multiply(gross, subtract(HUNDRED, discount)), 2);
}

/**
 * A line's net as e-conomic computes it from 2-decimal figures: rounded once, half away from zero
 * (e-conomic's line `totalNetAmount`; the rounding direction is our reading, not documented).
 */
export function economicLineNet(quantity: Decimal, unitNetPrice: Decimal, discount?: Decimal): Decimal {
  return round2(exactLineNet(quantity, unitNetPrice, discount));
}

/** Step 1: each line's target amount, adjusted by single øre so the sum meets Rackbeat's subtotal. */
export function lineTargets(
  exact: readonly Decimal[],
  subtotal: Decimal,
  free: readonly boolean[],
): { targets: Decimal[]; matched: boolean } {
  const base = exact.map(round2);
  const residual = toMinorUnits(subtotal) - toMinorUnits(sum(base));
  if (residual === 0n) return { targets: base, matched: true };
  const step = residual > 0n ? 1n : -1n;
  const moved = (i: number) => fromMinorUnits(toMinorUnits(base[i]!) + step);
  // A line may take the other rounding only when its exact amount lies strictly between the two.
  const candidates = exact.flatMap((e, i) => {
    const leftover = subtract(e, base[i]!);
    return sign(leftover) === Number(step) ? [i] : [];
  });
  if (BigInt(candidates.length) < residual * step) return { targets: base, matched: false };
  const distance = (i: number) => abs(subtract(moved(i), exact[i]!));
  const chosen = new Set(
    [...candidates]
      .sort((a, b) => Number(free[b]) - Number(free[a]) || compare(distance(a), distance(b)) || a - b)
      .slice(0, Number(residual * step)),
  );
  return { targets: base.map((t, i) => (chosen.has(i) ? moved(i) : t)), matched: true };
}

function collapsed(line: SourceLine, target: Decimal, exactNet: Decimal): EconomicLineFigures {
  const quantity = parseDecimal(sign(line.quantity) < 0 ? -1 : 1);
  return {
    form: "collapsed",
    quantity,
    unitNetPrice: multiply(target, quantity),
    netAmount: target,
    exactNet,
    noted: true,
  };
}

/** The 2-decimal unit price (nearest first) at which e-conomic computes `target`, if any. */
function priceFor(quantity: Decimal, target: Decimal, discount?: Decimal): Decimal | undefined {
  const factor = discount === undefined ? quantity : exactLineNet(quantity, parseDecimal(1), discount);
  if (isZero(factor)) return undefined;
  // target / factor to 2 decimals, in integers: target and factor both scaled to 10^-s.
  const scale = Math.max(target.scale, factor.scale);
  const t = target.units * 10n ** BigInt(scale - target.scale);
  const f = factor.units * 10n ** BigInt(scale - factor.scale);
  const approx = (t * 100n) / f;
  for (const delta of [0n, 1n, -1n, 2n, -2n]) {
    const price = fromMinorUnits(approx + delta);
    if (compare(economicLineNet(quantity, price, discount), target) === 0) return price;
  }
  return undefined;
}

/** "Brug faktisk antal": keep the quantity (to 2 decimals) and find the price that hits the target. */
function repriced(line: SourceLine, target: Decimal, exactNet: Decimal): EconomicLineFigures | undefined {
  const quantity = round2(line.quantity);
  const discounts =
    fits(line.discount) && line.discount !== undefined ? [line.discount, undefined] : [undefined];
  for (const discount of discounts) {
    const price = priceFor(quantity, target, discount);
    if (price === undefined) continue;
    return {
      form: "rounded",
      quantity,
      unitNetPrice: price,
      ...(discount === undefined ? {} : { discount }),
      netAmount: target,
      exactNet,
      noted: true,
    };
  }
  return undefined;
}

function representLine(
  line: SourceLine,
  target: Decimal,
  exactNet: Decimal,
  useActualQuantity: boolean,
): EconomicLineFigures {
  const { quantity, unitPrice, discount } = line;
  if (
    fits(quantity) &&
    fits(unitPrice) &&
    fits(discount) &&
    compare(economicLineNet(quantity, unitPrice, discount), target) === 0
  ) {
    return {
      form: "as_is",
      quantity,
      unitNetPrice: unitPrice,
      ...(discount === undefined ? {} : { discount }),
      netAmount: target,
      exactNet,
      noted: false,
    };
  }
  if (useActualQuantity) {
    const kept = repriced(line, target, exactNet);
    if (kept) return kept;
  }
  return collapsed(line, target, exactNet);
}

/** Whether a line can only be carried as a free amount anyway (its figures do not fit e-conomic). */
function needsFreeAmount(line: SourceLine): boolean {
  return !(fits(line.quantity) && fits(line.unitPrice) && fits(line.discount));
}

/** Steps 1-3 for one invoice. Pure. */
export function planEconomicLines(
  lines: readonly SourceLine[],
  useActualQuantity: boolean,
  targets: InvoiceTargets,
): EconomicLinePlan {
  const exact = lines.map((l) => exactLineNet(l.quantity, l.unitPrice, l.discount));
  const rackbeatNet = round2(targets.net);
  const { targets: amounts } = lineTargets(exact, rackbeatNet, lines.map(needsFreeAmount));
  const figures = lines.map((line, i) => representLine(line, amounts[i]!, exact[i]!, useActualQuantity));
  const economicNet = round2(sum(figures.map((f) => f.netAmount)));
  const economicVat = parseDecimal(
    economicVatAmount(
      figures.map((f, i) => ({
        netAmount: toDecimalString(f.netAmount, PLACES),
        vatRatePercent: lines[i]!.vatRatePercent,
      })),
    ),
  );
  const economicGross = add(economicNet, economicVat);
  const rackbeatGross = targets.gross === undefined ? undefined : round2(targets.gross);
  return {
    lines: figures,
    check: {
      rackbeatNet,
      economicNet,
      ...(rackbeatGross === undefined ? {} : { rackbeatGross }),
      economicVat,
      economicGross,
      netMatches: compare(economicNet, rackbeatNet) === 0,
      grossMatches: rackbeatGross === undefined || compare(economicGross, rackbeatGross) === 0,
    },
  };
}
