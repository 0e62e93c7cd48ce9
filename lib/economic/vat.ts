/**
 * How e-conomic turns an invoice's lines into VAT: the one VAT rule of the code base, shared by the
 * e-conomic sandbox (which computes draft and booked amounts with it) and by the money module
 * (which predicts the gross e-conomic will show before a draft is created).
 *
 * Source: e-conomic does NOT document its VAT rounding. Its REST docs
 * (e-conomic/slate `source/includes/_invoices.md`, the `invoices.drafts` schema) only show the
 * results (`netAmount`, `vatAmount`, `grossAmount`, `roundingAmount` on the invoice and
 * `totalNetAmount` per line), and each line's rate comes from its revenue account's VAT code
 * (`/accounts` → `vatAccount.vatCode`, `/vat-accounts` → `ratePercentage`).
 *
 * The rule chosen, as the most defensible one: the invoice's VAT is computed per VAT rate on the
 * sum of that rate's line net amounts, rounded half away from zero to øre, and the rates' VAT
 * amounts are added. That is EN 16931's rule BR-CO-17 ("VAT category tax amount = taxable amount ×
 * rate, rounded to two decimals"), which the EAN (OIOUBL/Peppol) documents e-conomic sends must
 * satisfy, and it never lets per-line rounding drift the total by more than half an øre per rate.
 * A line's own VAT (`economicLineVatAmounts`) is its net × rate rounded the same way; those are
 * informative and may differ from the invoice's VAT by a few øre on invoices with many lines.
 *
 * If a real e-conomic agreement shows otherwise, this file is the one place to change.
 */
import {
  type Decimal,
  multiply,
  parseDecimal,
  round2,
  shiftLeft,
  sum,
  toDecimalString,
} from "@/lib/money/decimal";

export type VatLine = { netAmount: string; vatRatePercent: number }; // netAmount: decimal string, 2 dp

function vatOf(net: Decimal, vatRatePercent: number): Decimal {
  return round2(multiply(net, shiftLeft(parseDecimal(vatRatePercent), 2)));
}

function money(value: Decimal): string {
  return toDecimalString(round2(value), 2);
}

/** The invoice's VAT as e-conomic computes it from its lines, as a decimal string with 2 dp. */
export function economicVatAmount(lines: readonly VatLine[]): string {
  const netByRate = new Map<string, { rate: number; nets: Decimal[] }>();
  for (const line of lines) {
    const key = toDecimalString(parseDecimal(line.vatRatePercent));
    const group = netByRate.get(key) ?? { rate: line.vatRatePercent, nets: [] };
    group.nets.push(parseDecimal(line.netAmount));
    netByRate.set(key, group);
  }
  const perRate = [...netByRate.values()].map((group) => vatOf(sum(group.nets), group.rate));
  return money(sum(perRate));
}

/** Each line's VAT as e-conomic reports it per line, same order. */
export function economicLineVatAmounts(lines: readonly VatLine[]): string[] {
  return lines.map((line) => money(vatOf(parseDecimal(line.netAmount), line.vatRatePercent)));
}
