import type { Locale } from "@/lib/i18n/locale";
import { compareAmounts } from "@/lib/money/compare-amounts";
import { formatAmount } from "./format";

/** The amount columns of a transfer row (exact decimal strings). */
export type TransferAmounts = {
  netAmount: string | null;
  vatAmount: string | null;
  grossAmount: string | null;
  economicNetAmount: string | null;
  economicVatAmount: string | null;
  economicGrossAmount: string | null;
};

export type AmountDifference = {
  figure: "net" | "vat" | "gross";
  rackbeat: string;
  economic: string;
};

/**
 * Which of net, VAT and gross differ between Rackbeat and e-conomic, each with both figures in the
 * reader's notation: what the review list and detail show next to "Beløb afviger".
 */
export function amountDifferences(row: TransferAmounts, locale: Locale): AmountDifference[] {
  if (row.netAmount === null || row.economicNetAmount === null) return [];
  const pairs = [
    ["net", row.netAmount, row.economicNetAmount],
    ["vat", row.vatAmount, row.economicVatAmount],
    ["gross", row.grossAmount, row.economicGrossAmount],
  ] as const;
  return pairs.flatMap(([figure, rackbeat, economic]) => {
    if (rackbeat === null || economic === null) return [];
    if (!compareAmounts({ net: rackbeat }, { net: economic }).differs) return [];
    return [{ figure, rackbeat: formatAmount(rackbeat, locale), economic: formatAmount(economic, locale) }];
  });
}
