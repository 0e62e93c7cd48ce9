import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type CustomerInvoiceSettings,
  customerInvoiceSettingsSchema,
  customerNumberFieldLabels,
  defaultSettings,
  diffSettings,
  fieldLabel,
  parseSettingsForm,
  productGroupAccountLabels,
  settingKeys,
  settingLabels,
  settingsFieldErrors,
  settingsFieldMessages,
} from "./schema";

describe("defaults", () => {
  it("has every checkbox off, no accounts and Kundenummer", () => {
    expect(defaultSettings).toEqual({
      debtorIntegration: false,
      customerGroupAccount: null,
      productGroupAccounts: { domestic: null, eu: null, abroad: null, domesticExempt: null },
      bookAndSendFromEconomic: false,
      bookWhenBookedInRackbeat: false,
      useActualQuantity: false,
      neverBookEanInvoices: false,
      orderNumberToOtherReference: false,
      customerNumberField: "customerNumber",
      transferMismatchAsDraft: false,
    });
  });

  it("lists the guide's nine keys and our «Overfør alligevel som kladde», each with Danish and English labels", () => {
    expect(settingKeys).toHaveLength(10);
    expect(Object.keys(settingLabels).sort()).toEqual([...settingKeys].sort());
    expect(Object.keys(defaultSettings).sort()).toEqual([...settingKeys].sort());
  });

  it("fills missing keys of a stored, older settings object", () => {
    const parsed = customerInvoiceSettingsSchema.parse({ debtorIntegration: true });
    expect(parsed).toEqual({ ...defaultSettings, debtorIntegration: true });
  });
});

describe("labels are the guide's exact wording", () => {
  it.each([
    ["debtorIntegration", "Aktiver debitor-integration", "Enable debtor integration"],
    ["customerGroupAccount", "Konto til kundegrupper", "Account for customer groups"],
    [
      "productGroupAccounts",
      "Standard til oprettelse af varegrupper i e-conomic",
      "Defaults for creating product groups",
    ],
    [
      "bookAndSendFromEconomic",
      "Bogfør og send fakturaen fra e-conomic",
      "Book and send the invoice from e-conomic",
    ],
    [
      "bookWhenBookedInRackbeat",
      "Bogfør fakturaer i e-conomic ved bogføring i Rackbeat",
      "Book invoices in e-conomic when booked in Rackbeat",
    ],
    ["useActualQuantity", "Brug faktisk antal ved oprettelse", "Use actual quantity on creation"],
    ["neverBookEanInvoices", "Bogfør aldrig EAN fakturaer", "Never book EAN invoices"],
    [
      "orderNumberToOtherReference",
      "Aktiver overførsel af ordrenummer til anden reference på faktura",
      "Transfer order number to other reference",
    ],
    ["customerNumberField", "Felt til kundenummer", "Field for customer number"],
  ] as const)("%s", (key, da, en) => {
    expect(settingLabels[key]).toEqual({ da, en });
  });

  it("names the four VAT zones and the two customer number options", () => {
    expect(Object.values(productGroupAccountLabels).map((l) => l.da)).toEqual([
      "Indland",
      "EU",
      "Udland",
      "Indland momsfri",
    ]);
    expect(customerNumberFieldLabels.customerNumber.da).toBe("Kundenummer");
    expect(customerNumberFieldLabels.projectId.da).toBe("Projekt-ID");
    expect(fieldLabel("productGroupAccounts.eu", "da")).toBe(
      "Standard til oprettelse af varegrupper i e-conomic: EU",
    );
  });
});

describe("parseSettingsForm", () => {
  const fullForm = {
    debtorIntegration: "on",
    customerGroupAccount: "5600",
    "productGroupAccounts.domestic": "1010",
    "productGroupAccounts.eu": "1020",
    "productGroupAccounts.abroad": " 1030 ",
    "productGroupAccounts.domesticExempt": "",
    bookAndSendFromEconomic: "on",
    neverBookEanInvoices: ["off", "on"],
    customerNumberField: "projectId",
  };

  it("reads checkboxes as present/absent and accounts as digits or empty", () => {
    const result = parseSettingsForm(fullForm);
    expect(result.success).toBe(true);
    expect(result.data).toEqual({
      debtorIntegration: true,
      customerGroupAccount: 5600,
      productGroupAccounts: { domestic: 1010, eu: 1020, abroad: 1030, domesticExempt: null },
      bookAndSendFromEconomic: true,
      bookWhenBookedInRackbeat: false,
      useActualQuantity: false,
      neverBookEanInvoices: true,
      orderNumberToOtherReference: false,
      customerNumberField: "projectId",
      transferMismatchAsDraft: false,
    } satisfies CustomerInvoiceSettings);
  });

  it("gives the defaults for an empty form", () => {
    expect(parseSettingsForm({}).data).toEqual(defaultSettings);
  });

  it.each([
    [{ customerGroupAccount: "56a0" }, "customerGroupAccount", "invalid_account"],
    [{ customerGroupAccount: "0" }, "customerGroupAccount", "invalid_account"],
    [{ customerGroupAccount: "1234567890" }, "customerGroupAccount", "invalid_account"],
    [{ customerGroupAccount: "-5" }, "customerGroupAccount", "invalid_account"],
    [{ "productGroupAccounts.eu": "x" }, "productGroupAccounts.eu", "invalid_account"],
    [{ customerNumberField: "email" }, "customerNumberField", "invalid_option"],
    [{ useActualQuantity: "yes please" }, "useActualQuantity", "invalid_checkbox"],
  ])("rejects %j on %s with %s", (form, field, code) => {
    const result = parseSettingsForm(form);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(settingsFieldErrors(result.error)).toEqual({ [field]: [code] });
  });

  it("renders the error naming the field, in Danish or English", () => {
    const result = parseSettingsForm({ customerNumberField: "email", "productGroupAccounts.abroad": "abc" });
    if (result.success) throw new Error("expected failure");
    expect(settingsFieldMessages(result.error, "da")).toEqual({
      customerNumberField: ["„Felt til kundenummer“: vælg en af de viste muligheder."],
      "productGroupAccounts.abroad": [
        "„Standard til oprettelse af varegrupper i e-conomic: Udland“: vælg en gyldig konto (et kontonummer med 1-9 cifre).",
      ],
    });
    expect(settingsFieldMessages(result.error, "en").customerNumberField).toEqual([
      "“Field for customer number”: choose one of the listed options.",
    ]);
  });

  it("keeps zod's own flattening usable for top-level fields", () => {
    const result = parseSettingsForm({ customerGroupAccount: "abc" });
    if (result.success) throw new Error("expected failure");
    expect(z.flattenError(result.error).fieldErrors).toEqual({ customerGroupAccount: ["invalid_account"] });
  });
});

describe("diffSettings", () => {
  it("is empty when nothing changed", () => {
    expect(diffSettings(defaultSettings, { ...defaultSettings })).toEqual([]);
  });

  it("lists changed keys old → new in the page's order", () => {
    const next: CustomerInvoiceSettings = {
      ...defaultSettings,
      customerNumberField: "projectId",
      debtorIntegration: true,
      productGroupAccounts: { ...defaultSettings.productGroupAccounts, eu: 1020 },
    };
    expect(diffSettings(defaultSettings, next)).toEqual([
      { key: "debtorIntegration", from: false, to: true },
      {
        key: "productGroupAccounts",
        from: { domestic: null, eu: null, abroad: null, domesticExempt: null },
        to: { domestic: null, eu: 1020, abroad: null, domesticExempt: null },
      },
      { key: "customerNumberField", from: "customerNumber", to: "projectId" },
    ]);
  });

  it("ignores key order inside product group accounts", () => {
    const reordered: CustomerInvoiceSettings = {
      ...defaultSettings,
      productGroupAccounts: { domesticExempt: null, abroad: null, eu: null, domestic: null },
    };
    expect(diffSettings(defaultSettings, reordered)).toEqual([]);
  });
});
