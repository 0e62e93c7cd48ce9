import { describe, expect, it } from "vitest";
import {
  accountChoices,
  accountErrorMessage,
  accountLabel,
  type ChartAccount,
  filterAccounts,
  keepStoredAccounts,
  validateAccountChoices,
  withAccountValue,
} from "./account-choices";
import { type CustomerInvoiceSettings, defaultSettings } from "./schema";

const chart: ChartAccount[] = [
  { accountNumber: 5600, name: "Debitorer", accountType: "status", barred: false },
  { accountNumber: 1010, name: "Salg af varer/ydelser m/moms", accountType: "profitAndLoss", barred: false },
  { accountNumber: 1025, name: "Salg af varer til EU", accountType: "profitAndLoss", barred: false },
  { accountNumber: 1090, name: "Gammel salgskonto (spærret)", accountType: "profitAndLoss", barred: true },
  { accountNumber: 1005, name: "Omsætning", accountType: "heading", barred: false },
  { accountNumber: 5520, name: "Varelager", accountType: "status", barred: false },
];

const withAccounts = (patch: Partial<CustomerInvoiceSettings>): CustomerInvoiceSettings => ({
  ...defaultSettings,
  ...patch,
});

describe("account choices", () => {
  it("offers only accounts of the kind, never barred, by number", () => {
    expect(accountChoices(chart, "status").map((a) => a.accountNumber)).toEqual([5520, 5600]);
    expect(accountChoices(chart, "profitAndLoss").map((a) => a.accountNumber)).toEqual([1010, 1025]);
  });

  it("labels as number – name", () => {
    expect(accountLabel(chart[0]!)).toBe("5600 – Debitorer");
    expect(accountLabel({ accountNumber: 7, name: "" })).toBe("7");
  });

  it("filters by the start of the number or any part of the name, case-insensitively", () => {
    const all = accountChoices(chart, "profitAndLoss");
    expect(filterAccounts(all, "102").map((a) => a.accountNumber)).toEqual([1025]);
    expect(filterAccounts(all, " eu ").map((a) => a.accountNumber)).toEqual([1025]);
    expect(filterAccounts(all, "SALG").map((a) => a.accountNumber)).toEqual([1010, 1025]);
    expect(filterAccounts(all, "")).toHaveLength(2);
    expect(filterAccounts(all, "zzz")).toEqual([]);
  });
});

describe("validating chosen accounts against the chart", () => {
  it("accepts valid choices and empty ones", () => {
    const values = withAccounts({
      customerGroupAccount: 5600,
      productGroupAccounts: { domestic: 1010, eu: 1025, abroad: null, domesticExempt: null },
    });
    expect(validateAccountChoices(values, chart)).toEqual({});
  });

  it("reports an unknown, a wrong-type and a barred account per field", () => {
    const values = withAccounts({
      customerGroupAccount: 1010,
      productGroupAccounts: { domestic: 9999, eu: 1090, abroad: 5600, domesticExempt: 1010 },
    });
    expect(validateAccountChoices(values, chart)).toEqual({
      customerGroupAccount: { code: "account_wrong_type", accountNumber: 1010 },
      "productGroupAccounts.domestic": { code: "account_not_in_chart", accountNumber: 9999 },
      "productGroupAccounts.eu": { code: "account_barred", accountNumber: 1090 },
      "productGroupAccounts.abroad": { code: "account_wrong_type", accountNumber: 5600 },
    });
  });

  it("explains the error in the user's language with the field's label", () => {
    expect(
      accountErrorMessage(
        "productGroupAccounts.domestic",
        { code: "account_not_in_chart", accountNumber: 9999 },
        "da",
      ),
    ).toBe(
      "„Standard til oprettelse af varegrupper i e-conomic: Indland“: konto 9999 findes ikke i kontoplanen i e-conomic.",
    );
    expect(
      accountErrorMessage("customerGroupAccount", { code: "account_wrong_type", accountNumber: 1010 }, "en"),
    ).toBe("“Account for customer groups”: account 1010 is not a balance-sheet account.");
  });

  it("keeps the stored accounts when the chart cannot be checked", () => {
    const stored = withAccounts({
      customerGroupAccount: 5600,
      productGroupAccounts: { domestic: 1010, eu: null, abroad: null, domesticExempt: null },
    });
    const posted = withAccountValue(
      withAccounts({ useActualQuantity: true }),
      "productGroupAccounts.eu",
      4242,
    );
    expect(keepStoredAccounts(posted, stored)).toEqual({ ...stored, useActualQuantity: true });
  });
});
