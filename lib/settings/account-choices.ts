import {
  type CustomerInvoiceSettings,
  fieldLabel,
  type Locale,
  type SettingsFieldName,
  type VatZoneKey,
  vatZoneKeys,
} from "./schema";

/**
 * Which accounts of the company's e-conomic chart each picker offers, and the server's check that a
 * submitted choice is one of them. Pure, so the page's client components and the server action
 * share it.
 */

/** One account of the chart, as much as the pickers need. */
export type ChartAccount = {
  accountNumber: number;
  name: string;
  accountType: string;
  barred: boolean;
};

export type AccountKind = "status" | "profitAndLoss";

export type AccountFieldName = "customerGroupAccount" | `productGroupAccounts.${VatZoneKey}`;

/** In page order. */
export const accountFieldNames: readonly AccountFieldName[] = [
  "customerGroupAccount",
  ...vatZoneKeys.map((zone) => `productGroupAccounts.${zone}` as const),
];

/**
 * A customer group posts to a balance-sheet receivables account (`status`, e.g. 5600 Debitorer);
 * a product group's sales accounts are revenue accounts (`profitAndLoss`).
 */
export function accountKindOf(field: AccountFieldName): AccountKind {
  return field === "customerGroupAccount" ? "status" : "profitAndLoss";
}

export function accountValue(values: CustomerInvoiceSettings, field: AccountFieldName): number | null {
  if (field === "customerGroupAccount") return values.customerGroupAccount;
  const zone = field.slice("productGroupAccounts.".length) as VatZoneKey;
  return values.productGroupAccounts[zone];
}

export function withAccountValue(
  values: CustomerInvoiceSettings,
  field: AccountFieldName,
  accountNumber: number | null,
): CustomerInvoiceSettings {
  if (field === "customerGroupAccount") return { ...values, customerGroupAccount: accountNumber };
  const zone = field.slice("productGroupAccounts.".length) as VatZoneKey;
  return { ...values, productGroupAccounts: { ...values.productGroupAccounts, [zone]: accountNumber } };
}

/** The accounts a picker of this kind offers: the right type, never barred, by number. */
export function accountChoices(chart: readonly ChartAccount[], kind: AccountKind): ChartAccount[] {
  return chart
    .filter((account) => account.accountType === kind && !account.barred)
    .sort((a, b) => a.accountNumber - b.accountNumber);
}

/** "5600 – Debitorer", as e-conomic lists them. */
export function accountLabel(account: Pick<ChartAccount, "accountNumber" | "name">): string {
  return account.name ? `${account.accountNumber} – ${account.name}` : String(account.accountNumber);
}

/** Matches the number's start or any part of the name, ignoring case and surrounding blanks. */
export function filterAccounts(accounts: readonly ChartAccount[], query: string): ChartAccount[] {
  const q = query.trim().toLocaleLowerCase("da");
  if (q === "") return [...accounts];
  return accounts.filter(
    (account) =>
      String(account.accountNumber).startsWith(q) ||
      account.name.toLocaleLowerCase("da").includes(q) ||
      accountLabel(account).toLocaleLowerCase("da").includes(q),
  );
}

export const accountErrorCodes = ["account_not_in_chart", "account_wrong_type", "account_barred"] as const;
export type AccountErrorCode = (typeof accountErrorCodes)[number];

export const accountErrorMessages: Record<Locale, Record<AccountErrorCode, string>> = {
  da: {
    account_not_in_chart: "„{field}“: konto {account} findes ikke i kontoplanen i e-conomic.",
    account_wrong_type: "„{field}“: konto {account} er ikke en {kind}.",
    account_barred: "„{field}“: konto {account} er spærret i e-conomic.",
  },
  en: {
    account_not_in_chart: "“{field}”: account {account} is not in the e-conomic chart of accounts.",
    account_wrong_type: "“{field}”: account {account} is not {kind}.",
    account_barred: "“{field}”: account {account} is barred in e-conomic.",
  },
};

const kindNames: Record<Locale, Record<AccountKind, string>> = {
  da: { status: "statuskonto (balance)", profitAndLoss: "driftskonto (omsætning)" },
  en: { status: "a balance-sheet account", profitAndLoss: "a profit and loss (revenue) account" },
};

export type AccountError = { code: AccountErrorCode; accountNumber: number };

/** Checks every chosen account against the live chart; an empty choice is not an error here. */
export function validateAccountChoices(
  values: CustomerInvoiceSettings,
  chart: readonly ChartAccount[],
): Partial<Record<AccountFieldName, AccountError>> {
  const byNumber = new Map(chart.map((account) => [account.accountNumber, account]));
  const errors: Partial<Record<AccountFieldName, AccountError>> = {};
  for (const field of accountFieldNames) {
    const accountNumber = accountValue(values, field);
    if (accountNumber === null) continue;
    const account = byNumber.get(accountNumber);
    if (account === undefined) errors[field] = { code: "account_not_in_chart", accountNumber };
    else if (account.accountType !== accountKindOf(field))
      errors[field] = { code: "account_wrong_type", accountNumber };
    else if (account.barred) errors[field] = { code: "account_barred", accountNumber };
  }
  return errors;
}

export function accountErrorMessage(field: AccountFieldName, error: AccountError, locale: Locale): string {
  return accountErrorMessages[locale][error.code]
    .replace("{field}", fieldLabel(field as SettingsFieldName, locale))
    .replace("{account}", String(error.accountNumber))
    .replace("{kind}", kindNames[locale][accountKindOf(field)]);
}

/**
 * Without a chart (no e-conomic connection, or e-conomic not answering) a submitted account cannot
 * be checked, so the stored choices stay as they are whatever the form posted.
 */
export function keepStoredAccounts(
  values: CustomerInvoiceSettings,
  stored: CustomerInvoiceSettings,
): CustomerInvoiceSettings {
  return {
    ...values,
    customerGroupAccount: stored.customerGroupAccount,
    productGroupAccounts: { ...stored.productGroupAccounts },
  };
}
