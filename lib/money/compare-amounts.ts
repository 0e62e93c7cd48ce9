import { compare, type Decimal, parseDecimal, round2, subtract, tryParseDecimal } from "./decimal";

/**
 * Rackbeat's invoice amounts next to e-conomic's, to the øre. Rackbeat gives net (`total_subtotal`)
 * and gross (`total_total`); its VAT is their difference. Every figure is compared after rounding
 * to 2 decimals with the one rounding rule; a figure one side lacks is not compared.
 */

export type Amounts = { net: string; vat?: string; gross?: string };

export type AmountComparison = {
  net: boolean;
  vat: boolean;
  gross: boolean;
  /** Any compared figure differs. */
  differs: boolean;
};

function same(a: Decimal | undefined, b: Decimal | undefined): boolean {
  return a === undefined || b === undefined || compare(round2(a), round2(b)) === 0;
}

function parsed(value: string | undefined): Decimal | undefined {
  return value === undefined ? undefined : (tryParseDecimal(value) ?? undefined);
}

export function compareAmounts(rackbeat: Amounts, economic: Amounts): AmountComparison {
  const rbNet = parseDecimal(rackbeat.net);
  const rbGross = parsed(rackbeat.gross);
  const rbVat =
    parsed(rackbeat.vat) ?? (rbGross === undefined ? undefined : subtract(rbGross, round2(rbNet)));
  const net = same(rbNet, parseDecimal(economic.net));
  const vat = same(rbVat, parsed(economic.vat));
  const gross = same(rbGross, parsed(economic.gross));
  return { net, vat, gross, differs: !(net && vat && gross) };
}
