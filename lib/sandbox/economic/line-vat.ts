import { economicLineVatAmounts, economicVatAmount } from "@/lib/economic/vat";
import { add, parseDecimal, toDecimalString } from "@/lib/money/decimal";
import type { Ctx } from "./context";
import { vatRateForZone } from "./money";
import type { DocumentRow, JsonObject } from "./schema";
import { getDocs, refKey } from "./store";

/**
 * VAT as e-conomic computes it: per line, from the line's revenue account's VAT code. A product's
 * group names the revenue account per VAT zone (`/product-groups/:n/sales-accounts`), the account
 * its VAT code (`/accounts` → `vatAccount.vatCode`), the code its rate (`/vat-accounts` →
 * `ratePercentage`). The amounts follow the one VAT rule in `lib/economic/vat.ts`.
 *
 * Sandbox choices where e-conomic's behaviour is not documented: a group without an account for
 * the recipient's zone posts to its domestic account; an account without a VAT code is VAT-free;
 * a line without a product takes its zone's standard rate (25 % domestic, else 0 %).
 */

type SalesAccount = { vatZoneNumber: number; accountNumber: number };

function productGroupOf(product: DocumentRow | undefined): string | undefined {
  const group = product?.data.productGroup as JsonObject | undefined;
  return group?.productGroupNumber === undefined ? undefined : String(group.productGroupNumber);
}

function revenueAccount(group: DocumentRow | undefined, vatZoneNumber: number): number | undefined {
  const accounts = (
    Array.isArray(group?.data._salesAccounts) ? group.data._salesAccounts : []
  ) as SalesAccount[];
  return (
    accounts.find((a) => a.vatZoneNumber === vatZoneNumber)?.accountNumber ??
    accounts.find((a) => a.vatZoneNumber === 1)?.accountNumber
  );
}

/** Each line's VAT rate in percent, in order; `products` holds each line's product (or none). */
export async function lineVatRates(
  ctx: Ctx,
  vatZoneNumber: number,
  products: (DocumentRow | undefined)[],
): Promise<number[]> {
  const agreement = ctx.agreement.agreementNumber;
  const groupKeys = [...new Set(products.flatMap((p) => productGroupOf(p) ?? []))];
  const groups = await getDocs(
    ctx.db,
    agreement,
    groupKeys.map((key) => ({ kind: "productGroup", key })),
  );
  const accountOf = (p: DocumentRow | undefined) => {
    const key = productGroupOf(p);
    return key === undefined
      ? undefined
      : revenueAccount(groups.get(refKey("productGroup", key)), vatZoneNumber);
  };
  const accountKeys = [...new Set(products.flatMap((p) => accountOf(p) ?? []))].map(String);
  const accounts = await getDocs(
    ctx.db,
    agreement,
    accountKeys.map((key) => ({ kind: "account", key })),
  );
  const codeOf = (accountNumber: number | undefined) => {
    const account =
      accountNumber === undefined ? undefined : accounts.get(refKey("account", String(accountNumber)));
    const vatAccount = account?.data.vatAccount as JsonObject | undefined;
    return typeof vatAccount?.vatCode === "string" ? vatAccount.vatCode : undefined;
  };
  const codes = [...new Set(products.flatMap((p) => codeOf(accountOf(p)) ?? []))];
  const vatAccounts = await getDocs(
    ctx.db,
    agreement,
    codes.map((key) => ({ kind: "vatAccount", key })),
  );
  return products.map((product) => {
    if (!product) return vatRateForZone(vatZoneNumber);
    const code = codeOf(accountOf(product));
    const rate =
      code === undefined ? undefined : vatAccounts.get(refKey("vatAccount", code))?.data.ratePercentage;
    return typeof rate === "number" ? rate : 0;
  });
}

export interface LineAmounts {
  netAmount: number;
  vatAmount: number;
  grossAmount: number;
}

/** Per-line and invoice amounts from each line's net in cents and its VAT rate. */
export function vatAmounts(
  netCents: bigint[],
  rates: number[],
): { lines: LineAmounts[]; invoice: LineAmounts } {
  const vatLines = netCents.map((cents, i) => ({
    netAmount: toDecimalString({ units: cents, scale: 2 }, 2),
    vatRatePercent: rates[i] ?? 0,
  }));
  const lineVat = economicLineVatAmounts(vatLines);
  const lines = vatLines.map((line, i) => {
    const net = Number(line.netAmount);
    const vat = Number(lineVat[i]);
    return { netAmount: net, vatAmount: vat, grossAmount: gross(line.netAmount, lineVat[i]!) };
  });
  const netTotal = toDecimalString({ units: netCents.reduce((a, b) => a + b, 0n), scale: 2 }, 2);
  const vatTotal = economicVatAmount(vatLines);
  return {
    lines,
    invoice: {
      netAmount: Number(netTotal),
      vatAmount: Number(vatTotal),
      grossAmount: gross(netTotal, vatTotal),
    },
  };
}

function gross(net: string, vat: string): number {
  return Number(toDecimalString(add(parseDecimal(net), parseDecimal(vat)), 2));
}
