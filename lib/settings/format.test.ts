import { describe, expect, it } from "vitest";
import { formatDateTime } from "@/lib/i18n/date-time";
import { chartIndex, formatSettingValue } from "./format";

const chart = chartIndex([
  { accountNumber: 5600, name: "Debitorer", accountType: "status", barred: false },
  { accountNumber: 1010, name: "Salg af varer/ydelser m/moms", accountType: "profitAndLoss", barred: false },
]);

describe("setting values as people read them", () => {
  it("shows checkboxes as on/off per language", () => {
    expect(formatSettingValue("debtorIntegration", true, "da")).toBe("Slået til");
    expect(formatSettingValue("debtorIntegration", false, "en")).toBe("Off");
  });

  it("names accounts from the chart, else shows the number", () => {
    expect(formatSettingValue("customerGroupAccount", 5600, "da", chart)).toBe("5600 – Debitorer");
    expect(formatSettingValue("customerGroupAccount", 5610, "da", chart)).toBe("5610");
    expect(formatSettingValue("customerGroupAccount", null, "en", chart)).toBe("None");
  });

  it("lists the four product-group accounts by zone", () => {
    expect(
      formatSettingValue(
        "productGroupAccounts",
        { domestic: 1010, eu: null, abroad: 1020, domesticExempt: null },
        "da",
        chart,
      ),
    ).toBe("Indland: 1010 – Salg af varer/ydelser m/moms; EU: Ingen; Udland: 1020; Indland momsfri: Ingen");
  });

  it("shows the customer-number option by its label", () => {
    expect(formatSettingValue("customerNumberField", "projectId", "da")).toBe("Projekt-ID");
    expect(formatSettingValue("customerNumberField", "customerNumber", "en")).toBe("Customer number");
  });

  it("formats the time in Danish time, per language", () => {
    const at = new Date("2025-03-14T09:05:00Z");
    expect(formatDateTime(at, "da")).toMatch(/14\. mar\.? 2025.*10[.:]05/);
    expect(formatDateTime(at, "en")).toMatch(/14 Mar 2025.*10:05/);
  });
});
