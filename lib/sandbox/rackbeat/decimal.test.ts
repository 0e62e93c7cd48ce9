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
  it("sums exact line nets, rounds the subtotal once and adds VAT per line", () => {
    const totals = computeTotals([
      { quantity: "1.333", linePrice: "12.345678", discountPercentage: "0", vatPercentage: "25" },
      { quantity: "3", linePrice: "0.335", discountPercentage: "10", vatPercentage: "0" },
    ]);
    // 1.333 × 12.345678 = 16.456788774; 3 × 0.335 × 0.9 = 0.9045
    expect(totals).toEqual({ exactSubtotal: "17.361288774", subtotal: "17.36", vat: "4.11", total: "21.47" });
  });

  it("gives a credit note the exact negative", () => {
    const totals = computeTotals([
      { quantity: "-2.5", linePrice: "0.99", discountPercentage: "0", vatPercentage: "25" },
    ]);
    expect(totals).toMatchObject({ subtotal: "-2.48", vat: "-0.62", total: "-3.1" });
  });
});
