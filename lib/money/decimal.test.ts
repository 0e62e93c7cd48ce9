import { describe, expect, it } from "vitest";
import {
  add,
  compare,
  DecimalParseError,
  decimalPlaces,
  equals,
  formatDanish,
  fromMinorUnits,
  multiply,
  parseDecimal,
  round2,
  roundDecimal,
  shiftLeft,
  subtract,
  sum,
  toDecimalString,
  toEconomicNumber,
  toFixedString,
  toMinorUnits,
  tryParseDecimal,
} from "./decimal";

const d = parseDecimal;
const str = (input: string | number) => toDecimalString(d(input));

describe("parseDecimal", () => {
  it.each([
    ["12.345678", "12.345678"],
    ["-0.5", "-0.5"],
    [".5", "0.5"],
    ["+3", "3"],
    ["007.10", "7.1"],
    ["1e3", "1000"],
    ["1.5E-7", "0.00000015"],
    ["  42 ", "42"],
    ["123456789012345678901234.56", "123456789012345678901234.56"],
  ])("string %s → %s", (input, expected) => {
    expect(str(input)).toBe(expected);
  });

  it.each([
    [12.345678, "12.345678"],
    [0.1, "0.1"],
    [-2.5, "-2.5"],
    [1e-7, "0.0000001"],
    [1e21, "1000000000000000000000"],
    [0.1 + 0.2, "0.30000000000000004"],
  ])("number %s via its shortest string → %s", (input, expected) => {
    expect(str(input)).toBe(expected);
  });

  it.each(["", "abc", "1,5", "1.2.3", "-", ".", "1e", "--1"])("rejects %j", (input) => {
    expect(() => d(input)).toThrow(DecimalParseError);
    expect(tryParseDecimal(input)).toBeNull();
  });

  it("rejects non-finite numbers", () => {
    expect(() => d(Number.NaN)).toThrow(DecimalParseError);
    expect(() => d(Number.POSITIVE_INFINITY)).toThrow(DecimalParseError);
  });
});

describe("arithmetic is exact", () => {
  it("0.1 + 0.2 = 0.3", () => {
    expect(toDecimalString(add(d("0.1"), d("0.2")))).toBe("0.3");
  });
  it("subtracts across scales and signs", () => {
    expect(toDecimalString(subtract(d("1"), d("1.005")))).toBe("-0.005");
    expect(toDecimalString(subtract(d("-2.5"), d("-2.50")))).toBe("0");
  });
  it("multiplies 6-decimal prices by 3-decimal quantities", () => {
    expect(toDecimalString(multiply(d("1.333"), d("12.345678")))).toBe("16.456788774");
    expect(toDecimalString(multiply(d("-0.125"), d("99.999999")))).toBe("-12.499999875");
  });
  it("handles values far beyond float precision", () => {
    const big = d("9007199254740993.01");
    expect(toDecimalString(add(big, d("0.99")))).toBe("9007199254740994");
    expect(toDecimalString(multiply(big, d("1000")))).toBe("9007199254740993010");
  });
  it("sums and shifts percentages", () => {
    expect(toDecimalString(sum([d("1.1"), d("2.22"), d("-0.32")]))).toBe("3");
    expect(toDecimalString(shiftLeft(d("12.5"), 2))).toBe("0.125");
  });
  it("compares across scales", () => {
    expect(compare(d("1.50"), d("1.5"))).toBe(0);
    expect(compare(d("-1"), d("0.001"))).toBe(-1);
    expect(compare(d("10"), d("9.999999"))).toBe(1);
    expect(equals(d("0"), d("-0.000"))).toBe(true);
  });
});

describe("decimalPlaces counts significant decimals", () => {
  it.each([
    ["2", 0],
    ["2.50", 1],
    ["1.333", 3],
    ["0.125", 3],
    ["12.345678", 6],
    ["-7.10", 1],
    ["1e3", 0],
  ])("%s → %i", (input, places) => {
    expect(decimalPlaces(d(input))).toBe(places);
  });
});

describe("roundDecimal: half away from zero (the one rule)", () => {
  it.each([
    ["1.005", 2, "1.01"],
    ["1.0049999", 2, "1.00"],
    ["-1.005", 2, "-1.01"],
    ["-1.0049", 2, "-1.00"],
    ["2.345", 2, "2.35"],
    ["2.335", 2, "2.34"],
    ["0.125", 2, "0.13"],
    ["-0.125", 2, "-0.13"],
    ["16.456688774", 2, "16.46"],
    ["12.345678", 2, "12.35"],
    ["0.5", 0, "1"],
    ["-0.5", 0, "-1"],
    ["1.45", 1, "1.5"],
    ["7", 2, "7.00"],
    ["-0.004", 2, "0.00"],
    ["99999999999999999999.995", 2, "100000000000000000000.00"],
    ["7.46050000", 6, "7.460500"],
  ])("%s to %i → %s", (input, places, expected) => {
    expect(toFixedString(d(input), places)).toBe(expected);
  });

  it("never returns negative zero", () => {
    expect(toFixedString(d("-0.001"), 2)).toBe("0.00");
  });

  it("rejects invalid places", () => {
    expect(() => roundDecimal(d("1"), -1)).toThrow(RangeError);
    expect(() => roundDecimal(d("1"), 1.5)).toThrow(RangeError);
  });
});

describe("output formats", () => {
  it("formats Danish with a decimal comma and no grouping", () => {
    expect(formatDanish(d("1.333"))).toBe("1,333");
    expect(formatDanish(d("-12.345678"))).toBe("-12,345678");
    expect(formatDanish(d("1234567.5"), 2)).toBe("1234567,50");
    expect(formatDanish(d("2"))).toBe("2");
  });

  it("converts to a JSON number for e-conomic only after rounding to 2 decimals", () => {
    expect(toEconomicNumber(d("12.345678"))).toBe(12.35);
    expect(toEconomicNumber(d("-1.005"))).toBe(-1.01);
    expect(JSON.stringify({ x: toEconomicNumber(d("0.1")) })).toBe('{"x":0.1}');
    expect(JSON.stringify({ x: toEconomicNumber(d("746.05")) })).toBe('{"x":746.05}');
  });

  it("refuses numbers JSON cannot carry exactly", () => {
    expect(() => toEconomicNumber(d("123456789012345678.00"))).toThrow(RangeError);
    expect(toEconomicNumber(d("90071992547409.91"))).toBe(90071992547409.91);
  });

  it("round-trips minor units (øre)", () => {
    expect(toMinorUnits(d("123.455"))).toBe(12346n);
    expect(toMinorUnits(d("-0.005"))).toBe(-1n);
    expect(toDecimalString(fromMinorUnits(-12346n))).toBe("-123.46");
    expect(toDecimalString(round2(fromMinorUnits(5n)), 2)).toBe("0.05");
  });
});
