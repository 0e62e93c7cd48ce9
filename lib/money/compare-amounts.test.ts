import { describe, expect, it } from "vitest";
import { amountDifferences } from "@/lib/review/amount-differences";
import { compareAmounts } from "./compare-amounts";

describe("compareAmounts", () => {
  it("compares net, VAT (Rackbeat's gross − net) and gross to the øre", () => {
    expect(
      compareAmounts({ net: "12.45", gross: "15.56" }, { net: "12.45", vat: "3.11", gross: "15.56" }),
    ).toEqual({ net: true, vat: true, gross: true, differs: false });
    // The invoice: net 12.46 and gross 15.58 in e-conomic against 12.45 / 15.56.
    expect(
      compareAmounts({ net: "12.45", gross: "15.56" }, { net: "12.46", vat: "3.12", gross: "15.58" }),
    ).toEqual({ net: false, vat: false, gross: false, differs: true });
  });

  it("flags a gross off by an øre even when the net matches", () => {
    const check = compareAmounts(
      { net: "250", gross: "312.51" },
      { net: "250.00", vat: "62.50", gross: "312.50" },
    );
    expect(check).toEqual({ net: true, vat: false, gross: false, differs: true });
  });

  it("does not compare what one side lacks", () => {
    expect(compareAmounts({ net: "10" }, { net: "10.00", gross: "12.50" }).differs).toBe(false);
  });
});

describe("amountDifferences", () => {
  it("lists only the differing figures, both sides in the reader's notation", () => {
    const row = {
      netAmount: "1250.00",
      vatAmount: "312.51",
      grossAmount: "1562.51",
      economicNetAmount: "1250.00",
      economicVatAmount: "312.50",
      economicGrossAmount: "1562.50",
    };
    expect(amountDifferences(row, "da")).toEqual([
      { figure: "vat", rackbeat: "312,51", economic: "312,50" },
      { figure: "gross", rackbeat: "1.562,51", economic: "1.562,50" },
    ]);
    expect(amountDifferences(row, "en")[1]).toEqual({
      figure: "gross",
      rackbeat: "1,562.51",
      economic: "1,562.50",
    });
  });
});
