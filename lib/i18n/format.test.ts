import { describe, expect, it } from "vitest";
import {
  formatAmount,
  formatCount,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatMoney,
  formatTime,
} from "./format";

describe("formatting for readers", () => {
  it("writes money with two decimals, thousands separators and the currency code after", () => {
    expect(formatMoney("189.5", "DKK", "da")).toBe("189,50 DKK");
    expect(formatMoney("1234567.5", "DKK", "da")).toBe("1.234.567,50 DKK");
    expect(formatMoney("1234567.5", "EUR", "en")).toBe("1,234,567.50 EUR");
    expect(formatMoney("-1000", "DKK", "da")).toBe("-1.000,00 DKK");
    expect(formatMoney(null, "DKK", "da")).toBe("");
    expect(formatAmount("0.005", "da")).toBe("0,01");
  });

  it("keeps every digit of large exact amounts (never through a float)", () => {
    expect(formatAmount("90071992547409931.23", "da")).toBe("90.071.992.547.409.931,23");
  });

  it("writes quantities and prices as received, grouped", () => {
    expect(formatDecimal("24.95", "da")).toBe("24,95");
    expect(formatDecimal("1234.123456", "en")).toBe("1,234.123456");
    expect(formatDecimal("4", "da")).toBe("4");
    expect(formatCount(12345, "da")).toBe("12.345");
  });

  it("writes dates in one style and times in Danish time", () => {
    expect(formatDate("2024-03-01", "da")).toBe("1. mar. 2024");
    expect(formatDate("2024-03-01", "en")).toBe("1 Mar 2024");
    // 13:05 UTC is 14:05 in Copenhagen in winter, 15:05 in summer.
    expect(formatTime(new Date("2024-01-15T13:05:00Z"), "da")).toBe("14.05");
    expect(formatTime(new Date("2024-07-15T13:05:00Z"), "en")).toBe("15:05");
    expect(formatDateTime(new Date("2024-01-15T13:05:09Z"), "da", "second")).toBe("15. jan. 2024, 14.05.09");
    expect(formatDateTime(new Date("2024-01-15T13:05:09Z"), "en")).toBe("15 Jan 2024, 14:05");
  });
});
