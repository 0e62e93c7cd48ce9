import { describe, expect, it } from "vitest";
import { parseDecimal, toDecimalString } from "./decimal";
import { economicLineNet, lineTargets, planEconomicLines, type SourceLine } from "./invoice-lines";

const d = parseDecimal;
const text = (values: { units: bigint; scale: number }[]) => values.map((v) => toDecimalString(v, 2));

describe("lineTargets", () => {
  it("keeps each line's own rounding when it adds up to the subtotal", () => {
    expect(text(lineTargets([d("6.225"), d("6.225")], d("12.46"), [false, false]).targets)).toEqual([
      "6.23",
      "6.23",
    ]);
  });

  it("gives the other rounding to as few lines as the subtotal needs, free lines first", () => {
    const { targets, matched } = lineTargets([d("6.225"), d("6.225"), d("1.004")], d("13.45"), [
      false,
      true,
      false,
    ]);
    expect(matched).toBe(true);
    expect(text(targets)).toEqual(["6.23", "6.22", "1.00"]);
  });

  it("moves credit lines the right way", () => {
    expect(text(lineTargets([d("-6.225"), d("-6.225")], d("-12.45"), [false, false]).targets)).toEqual([
      "-6.22",
      "-6.23",
    ]);
  });

  it("refuses a gap larger than the lines' rounding", () => {
    expect(lineTargets([d("1.005")], d("5"), [false])).toMatchObject({ matched: false });
  });
});

describe("planEconomicLines", () => {
  const line = (quantity: string, unitPrice: string, discount?: string): SourceLine => ({
    quantity: d(quantity),
    unitPrice: d(unitPrice),
    ...(discount ? { discount: d(discount) } : {}),
    vatRatePercent: 25,
  });

  it("computes e-conomic's line net from 2-decimal figures, rounded once", () => {
    expect(toDecimalString(economicLineNet(d("2.5"), d("10"), d("12.5")), 2)).toBe("21.88");
  });

  it("predicts e-conomic's VAT and gross and checks both against Rackbeat's", () => {
    const plan = planEconomicLines([line("0.5", "12.45"), line("0.5", "12.45")], false, {
      net: d("12.45"),
      gross: d("15.56"),
    });
    expect(plan.lines.map((l) => l.form)).toEqual(["collapsed", "as_is"]);
    expect(text([plan.check.economicNet, plan.check.economicVat, plan.check.economicGross])).toEqual([
      "12.45",
      "3.11",
      "15.56",
    ]);
    expect([plan.check.netMatches, plan.check.grossMatches]).toEqual([true, true]);
  });

  it("with the actual quantity, keeps it and finds the price (or collapses when none exists)", () => {
    const plan = planEconomicLines([line("1.333", "212.50"), line("2", "19.995")], true, {
      net: d("323.25"),
    });
    expect(
      plan.lines.map((l) => [l.form, toDecimalString(l.quantity), toDecimalString(l.unitNetPrice, 2)]),
    ).toEqual([
      ["rounded", "1.33", "212.98"],
      ["collapsed", "1", "39.99"],
    ]);
    expect(plan.check.netMatches).toBe(true);
  });
});
