import { describe, expect, it } from "vitest";
import { EconomicError, type EconomicFieldError } from "@/lib/economic";
import { doneMarksOf, missingMasterData, withoutRecords } from "./heal-master-data";
import { emptyKnown, type LoadedKnown } from "./known-master-data";

function refusal(fieldErrors: EconomicFieldError[], status = 400): EconomicError {
  return new EconomicError({
    kind: "http",
    method: "POST",
    path: "/invoices/drafts",
    status,
    message: "Validation error.",
    fieldErrors,
    mayHaveCommitted: false,
  });
}

function knownOf(): LoadedKnown {
  const known = emptyKnown();
  known.customers.set(101, {
    name: "Kaffebaren",
    currency: "DKK",
    customerGroupNumber: 1,
    paymentTermsNumber: 1,
    vatZoneNumber: 1,
  });
  known.customerGroups.add(1);
  known.products.add("KAF-100");
  known.products.add("OST-001");
  known.productGroups.add(10);
  known.customerContacts.set("101|Jens", 7);
  return known;
}

describe("missingMasterData", () => {
  it("names the cached records e-conomic says do not exist, by the number it quotes", () => {
    const error = refusal([
      { path: "customer", errorCode: "E06000", message: "customer does not exist.", value: "101" },
      { path: "lines[1].product", errorCode: "E06000", message: "product does not exist.", value: "OST-001" },
    ]);
    expect(missingMasterData(error, knownOf())).toEqual([
      { kind: "customer", key: "101" },
      { kind: "product", key: "OST-001" },
    ]);
  });

  it("without a quoted number, and for contacts (cached by name), forgets every one of that kind the invoice uses", () => {
    const error = refusal([
      { path: "lines[0].product", message: "product does not exist." },
      { path: "references.customerContact", errorCode: "E06000", message: "x", value: "7" },
    ]);
    expect(missingMasterData(error, knownOf())).toEqual([
      { kind: "product", key: "KAF-100" },
      { kind: "product", key: "OST-001" },
      { kind: "customerContact", key: "101|Jens" },
    ]);
  });

  it("maps a customer's or product's own references (group, payment terms)", () => {
    const error = refusal([
      { path: "customerGroup", errorCode: "E06000", message: "customerGroup does not exist.", value: "1" },
      { path: "productGroup", errorCode: "E06000", message: "productGroup does not exist.", value: 10 },
    ]);
    expect(missingMasterData(error, knownOf())).toEqual([
      { kind: "customerGroup", key: "1" },
      { kind: "productGroup", key: "10" },
    ]);
  });

  it("is empty for anything else: other fields, other codes, other statuses, other errors", () => {
    const known = knownOf();
    expect(
      missingMasterData(
        refusal([{ path: "layout", errorCode: "E06000", message: "layout does not exist.", value: "19" }]),
        known,
      ),
    ).toEqual([]);
    expect(
      missingMasterData(refusal([{ path: "customer", errorCode: "E04300", message: "invalid" }]), known),
    ).toEqual([]);
    expect(
      missingMasterData(
        refusal([{ path: "customer", errorCode: "E06000", message: "customer does not exist." }], 500),
        known,
      ),
    ).toEqual([]);
    expect(missingMasterData(new Error("customer does not exist."), known)).toEqual([]);
  });

  it("forgetting takes the records out of the loaded cache and their done marks", () => {
    const known = knownOf();
    const missing = [
      { kind: "customer", key: "101" },
      { kind: "product", key: "KAF-100" },
      { kind: "customerContact", key: "101|Jens" },
    ] as const;
    withoutRecords(known, [...missing]);
    expect(known.customers.has(101)).toBe(false);
    expect([...known.products]).toEqual(["OST-001"]);
    expect(known.customerContacts.size).toBe(0);
    expect(known.customerGroups.has(1)).toBe(true);
    expect([...doneMarksOf([...missing])]).toEqual([
      "customer:101",
      "product:KAF-100",
      "customerContact:101|Jens",
    ]);
  });
});
