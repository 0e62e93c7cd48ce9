import { describe, expect, it } from "vitest";
import { formEntries, parseSettingsSubmission } from "./form";
import { defaultSettings, settingsFieldErrors } from "./schema";

function form(fields: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

describe("the posted Kundefaktura form", () => {
  it("collects every value per name, as the schema's parser expects", () => {
    const entries = formEntries(
      form([
        ["version", "3"],
        ["debtorIntegration", "off"],
        ["debtorIntegration", "on"],
        ["customerGroupAccount", "5600"],
      ]),
    );
    expect(entries).toEqual({ version: "3", debtorIntegration: ["off", "on"], customerGroupAccount: "5600" });
  });

  it("parses what the page posts: checked Radix boxes as 'on', unchecked ones absent", () => {
    const parsed = parseSettingsSubmission(
      formEntries(
        form([
          ["version", "2"],
          ["intent", "activate"],
          ["debtorIntegration", "on"],
          ["customerGroupAccount", "5600"],
          ["productGroupAccounts.domestic", "1010"],
          ["productGroupAccounts.eu", "1025"],
          ["productGroupAccounts.abroad", "1020"],
          ["productGroupAccounts.domesticExempt", ""],
          ["neverBookEanInvoices", "on"],
          ["customerNumberField", "projectId"],
        ]),
      ),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.intent).toBe("activate");
    expect(parsed.version).toBe(2);
    expect(parsed.settings.success && parsed.settings.data).toEqual({
      ...defaultSettings,
      debtorIntegration: true,
      customerGroupAccount: 5600,
      productGroupAccounts: { domestic: 1010, eu: 1025, abroad: 1020, domesticExempt: null },
      neverBookEanInvoices: true,
      customerNumberField: "projectId",
    });
  });

  it("treats an unknown intent as a plain save", () => {
    const parsed = parseSettingsSubmission({ version: "0", intent: "delete-everything" });
    expect(parsed).toMatchObject({ ok: true, intent: "save" });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["not a number", "abc"],
    ["negative", "-1"],
    ["fractional", "1.5"],
  ])("refuses a form whose version is %s", (_label, version) => {
    expect(parseSettingsSubmission({ version }).ok).toBe(false);
  });

  it("reports tampered values per field", () => {
    const parsed = parseSettingsSubmission({
      version: "1",
      customerGroupAccount: "56OO",
      "productGroupAccounts.eu": "1025; drop table",
      bookAndSendFromEconomic: "yes please",
      customerNumberField: "orderNumber",
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.settings.success) throw new Error("expected field errors");
    expect(settingsFieldErrors(parsed.settings.error)).toEqual({
      customerGroupAccount: ["invalid_account"],
      "productGroupAccounts.eu": ["invalid_account"],
      bookAndSendFromEconomic: ["invalid_checkbox"],
      customerNumberField: ["invalid_option"],
    });
  });
});
