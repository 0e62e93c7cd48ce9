import { describe, expect, it } from "vitest";
import { economicLineVatAmounts, economicVatAmount, type VatLine } from "./vat";

const line = (netAmount: string, vatRatePercent = 25): VatLine => ({ netAmount, vatRatePercent });

describe("economicVatAmount (per VAT rate on the rate's net sum, half away from zero)", () => {
  it.each<[string, VatLine[], string]>([
    ["no lines", [], "0.00"],
    ["one domestic line", [line("100.00")], "25.00"],
    ["half an øre rounds away from zero", [line("0.02")], "0.01"],
    ["negative half an øre rounds away from zero", [line("-0.02")], "-0.01"],
    // Per line this would be 0.01 + 0.01 + 0.01 = 0.03; on the rate's sum 0.06 × 25 % = 0.015 → 0.02.
    ["rounds once per rate, not per line", [line("0.02"), line("0.02"), line("0.02")], "0.02"],
    ["a 0 % line adds nothing", [line("100.00"), line("50.00", 0)], "25.00"],
    ["two rates are rounded separately", [line("0.02"), line("0.10", 12.5)], "0.02"],
    ["credit lines reduce the VAT", [line("200.00"), line("-40.00")], "40.00"],
    ["large amounts stay exact", [line("99999999.99")], "25000000.00"],
  ])("%s", (_name, lines, expected) => {
    expect(economicVatAmount(lines)).toBe(expected);
  });

  it("treats 25 and 25.0 as the same rate", () => {
    expect(economicVatAmount([line("0.02", 25), line("0.02", 25.0)])).toBe("0.01");
  });
});

describe("economicLineVatAmounts", () => {
  it("gives each line its own rounded VAT in the same order", () => {
    expect(
      economicLineVatAmounts([line("0.02"), line("10.00", 0), line("-3.33"), line("1.00", 12.5)]),
    ).toEqual(["0.01", "0.00", "-0.83", "0.13"]);
  });
});
