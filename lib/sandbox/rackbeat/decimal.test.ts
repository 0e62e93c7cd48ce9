import { describe, expect, it } from "vitest";
import { decimalText, toJsonNumber } from "./decimal";
import { computeTotals } from "./invoices";

describe("sandbox decimals", () => {
  it("serializes stored decimals as exact JSON numbers", () => {
    expect(decimalText("12.345678000")).toBe("12.345678");
    expect(decimalText(0.1)).toBe("0.1");
    expect(toJsonNumber("16.460000")).toBe(16.46);
    expect(JSON.stringify({ v: toJsonNumber("0.000001") })).toBe('{"v":0.000001}');
  });
});

describe("computeTotals", () => {
  it("rounds each line, sums the line totals and computes VAT per rate on them", () => {
    const totals = computeTotals([
      { quantity: "1.333", linePrice: "12.345678", discountPercentage: "0", vatPercentage: "25" },
      { quantity: "3", linePrice: "0.335", discountPercentage: "10", vatPercentage: "0" },
    ]);
    // 1.333 × 12.345678 = 16.456788774 → 16.46; 3 × 0.335 × 0.9 = 0.9045 → 0.90; VAT 25 % of 16.46.
    expect(totals).toEqual({ lineTotals: ["16.46", "0.9"], subtotal: "17.36", vat: "4.12", total: "21.48" });
  });

  it("lets lines and subtotal agree where rounding once over exact amounts would not", () => {
    const half = { quantity: "0.5", linePrice: "12.45", discountPercentage: "0", vatPercentage: "25" };
    // 6.225 twice: 12.45 rounded once, but 6.23 + 6.23 printed on the lines.
    expect(computeTotals([half, half])).toEqual({
      lineTotals: ["6.23", "6.23"],
      subtotal: "12.46",
      vat: "3.12",
      total: "15.58",
    });
  });

  it("gives a credit note the exact negative", () => {
    const totals = computeTotals([
      { quantity: "-2.5", linePrice: "0.99", discountPercentage: "0", vatPercentage: "25" },
    ]);
    expect(totals).toMatchObject({ subtotal: "-2.48", vat: "-0.62", total: "-3.1" });
  });
});
