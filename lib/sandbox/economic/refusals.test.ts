import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "@/test/support/db";
import { type ApiInit, type Json, type SandboxHarness, startSandbox } from "./test-api";

/**
 * The four things the sandbox refuses as e-conomic would (lib/transfer/economic-refusals.test.ts
 * shows the engine never triggers them): the invented product-group body, a draft on dueDate
 * payment terms without dueDate, EAN booking without a contact person on the customer, and a
 * filter reaching another agreement's records.
 */
describe.each(dbKinds)("e-conomic sandbox refusals on %s", (kind) => {
  let h: SandboxHarness;
  let grant: string;

  async function call(path: string, init: ApiInit = {}): Promise<{ status: number; body: Json }> {
    const res = await h.api(path, { grant, ...init });
    return { status: res.status, body: await res.json() };
  }

  const customer = (n: number, extra: object = {}) => ({
    customerNumber: n,
    name: `Kunde ${n}`,
    currency: "DKK",
    customerGroup: { customerGroupNumber: 1 },
    paymentTerms: { paymentTermsNumber: 1 },
    vatZone: { vatZoneNumber: 1 },
    ...extra,
  });

  const draft = (extra: object = {}) => ({
    date: "2026-03-10",
    currency: "DKK",
    customer: { customerNumber: 7000 },
    paymentTerms: { paymentTermsNumber: 1 },
    layout: { layoutNumber: 19 },
    recipient: { name: "Kunde 7000", vatZone: { vatZoneNumber: 1 } },
    lines: [{ description: "Ydelse", quantity: 1, unitNetPrice: 100 }],
    ...extra,
  });

  beforeAll(async () => {
    h = await startSandbox(kind);
    grant = (await h.newAgreement()).agreementGrantToken;
    expect((await call("/customers", { body: customer(7000, { ean: "5790000000001" }) })).status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("1. refuses the invented product-group body with the Products API's error", async () => {
    const { status, body } = await call("/productsapi/v1.1.0/productgroups", {
      body: { number: 5, name: "Varer", salesAccounts: [{ vatZoneNumber: 1, accountNumber: 1010 }] },
    });
    expect(status).toBe(400);
    expect(body.errors.map((e: Json) => e.property).sort()).toEqual(
      ["domesticAccountId", "id", "number", "salesAccounts"].sort(),
    );
    expect(
      (
        await call("/productsapi/v1.1.0/productgroups", {
          body: { id: 5, name: "Varer", domesticAccountId: 1010 },
        })
      ).status,
    ).toBe(201);
  });

  it("2. refuses a draft on dueDate payment terms without dueDate", async () => {
    const refused = await call("/invoices/drafts", {
      body: draft({ paymentTerms: { paymentTermsNumber: 4 } }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.dueDate.errors[0]).toMatchObject({ errorCode: "E00200" });
    const accepted = await call("/invoices/drafts", {
      body: draft({ paymentTerms: { paymentTermsNumber: 4 }, dueDate: "2026-04-01" }),
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.dueDate).toBe("2026-04-01");
  });

  it("3. refuses EAN booking without a contact person on the customer", async () => {
    const contact = await call("/customers/7000/contacts", { body: { name: "Mette" } });
    const contactRef = { customerContactNumber: contact.body.customerContactNumber };
    const d = await call("/invoices/drafts", {
      body: draft({ references: { customerContact: contactRef } }),
    });
    const book = () =>
      call("/invoices/booked", {
        body: { draftInvoice: { draftInvoiceNumber: d.body.draftInvoiceNumber }, sendBy: "ean" },
      });
    const refused = await book();
    expect(refused.status).toBe(400);
    expect(refused.body.errors.customer.attention.errors[0]).toMatchObject({ errorCode: "E07423" });
    await call("/customers/7000", {
      method: "PUT",
      body: customer(7000, { ean: "5790000000001", attention: contactRef }),
    });
    const booked = await book();
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.sentBy).toBe("ean");
  });

  it("4. never lists another agreement's records through a filter", async () => {
    const other = (await h.newAgreement()).agreementGrantToken;
    expect((await call("/customers", { grant: other, body: customer(777001) })).status).toBe(201);
    const found = await call(`/customers?filter=${encodeURIComponent("customerNumber$in:[7000,777001]")}`, {
      grant: other,
    });
    expect(found.body.collection.map((c: Json) => c.customerNumber)).toEqual([777001]);
    const either = await call(
      `/customers?filter=${encodeURIComponent("customerNumber$eq:1$or:name$like:Kunde*")}`,
      {
        grant: other,
      },
    );
    expect(either.body.collection.map((c: Json) => c.customerNumber)).toEqual([777001]);
  });
});
