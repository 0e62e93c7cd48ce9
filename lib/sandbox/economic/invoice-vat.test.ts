import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "@/test/support/db";
import { type ApiInit, type Json, type SandboxHarness, startSandbox } from "./test-api";

/** VAT per line from the line's revenue account's VAT code, not a flat rate on the total. */
describe.each(dbKinds)("e-conomic sandbox VAT per line on %s", (kind) => {
  let h: SandboxHarness;
  let grant: string;

  async function ok(path: string, init: ApiInit = {}, status = 200): Promise<Json> {
    const res = await h.api(path, { grant, ...init });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    return body;
  }

  beforeAll(async () => {
    h = await startSandbox(kind);
    grant = (await h.newAgreement()).agreementGrantToken;
    // Group 1 (seeded): domestic 1010 (U25), EU 1025 (EUV), abroad 1020 (ABR), exempt 1015 (none).
    // Group 30: domestic sales without VAT (1015 has no VAT code).
    await ok(
      "/productsapi/v1.1.0/productgroups",
      { body: { id: 30, name: "Momsfrit", domesticAccountId: 1015 } },
      201,
    );
    await ok(
      "/products",
      { body: { productNumber: "MOMS", name: "Vare", productGroup: { productGroupNumber: 1 } } },
      201,
    );
    await ok(
      "/products",
      { body: { productNumber: "FRI", name: "Bog", productGroup: { productGroupNumber: 30 } } },
      201,
    );
    for (const n of [1, 2]) {
      await ok(
        "/customers",
        {
          body: {
            customerNumber: n,
            name: `Kunde ${n}`,
            currency: "DKK",
            customerGroup: { customerGroupNumber: 1 },
            paymentTerms: { paymentTermsNumber: 1 },
            vatZone: { vatZoneNumber: n },
          },
        },
        201,
      );
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const draft = (customerNumber: number, lines: [string, number, number][]) => ({
    date: "2026-01-15",
    currency: "DKK",
    customer: { customerNumber },
    paymentTerms: { paymentTermsNumber: 1 },
    layout: { layoutNumber: 19 },
    recipient: { name: "Kunde", vatZone: { vatZoneNumber: customerNumber } },
    lines: lines.map(([productNumber, quantity, unitNetPrice]) => ({
      product: { productNumber },
      description: productNumber,
      quantity,
      unitNetPrice,
    })),
  });

  it("takes each line's rate from its revenue account's VAT code", async () => {
    const d = await ok(
      "/invoices/drafts",
      {
        body: draft(1, [
          ["MOMS", 1, 100],
          ["FRI", 2, 50],
        ]),
      },
      201,
    );
    expect(d).toMatchObject({ netAmount: 200, vatAmount: 25, grossAmount: 225 });
    expect(d.lines.map((l: Json) => [l.netAmount, l.vatAmount, l.grossAmount])).toEqual([
      [100, 25, 125],
      [100, 0, 100],
    ]);
  });

  it("uses the group's account for the recipient's VAT zone", async () => {
    const d = await ok("/invoices/drafts", { body: draft(2, [["MOMS", 1, 100]]) }, 201);
    expect(d).toMatchObject({ netAmount: 100, vatAmount: 0, grossAmount: 100 });
  });

  it("rounds VAT once per rate on the rate's net sum, and keeps the rounding on booking", async () => {
    // Three lines of 0.02: per line 0.005 → 0.01 each, but 0.06 × 25 % = 0.015 → 0.02 on the sum.
    const d = await ok(
      "/invoices/drafts",
      {
        body: draft(1, [
          ["MOMS", 1, 0.02],
          ["MOMS", 1, 0.02],
          ["MOMS", 1, 0.02],
        ]),
      },
      201,
    );
    expect(d).toMatchObject({ netAmount: 0.06, vatAmount: 0.02, grossAmount: 0.08 });
    expect(d.lines.map((l: Json) => l.vatAmount)).toEqual([0.01, 0.01, 0.01]);
    const booked = await ok(
      "/invoices/booked",
      { body: { draftInvoice: { draftInvoiceNumber: d.draftInvoiceNumber } } },
      201,
    );
    expect(booked).toMatchObject({ vatAmount: 0.02, grossAmount: 0.08, remainder: 0.08 });
  });
});
