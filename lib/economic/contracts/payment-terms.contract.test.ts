import { afterEach, describe, expect, it } from "vitest";
import { type Recorder, recorder } from "./recorder";

/*
 * Payment terms and the draft's `dueDate`.
 * Sources: e-conomic/slate `source/includes/_payment-terms.md` (`GET /payment-terms`,
 * `/payment-terms/:paymentTermsNumber`); the fields `paymentTermsNumber`, `name`, `daysOfCredit`,
 * `paymentTermsType` (`net`, `invoiceMonth`, `paidInCash`, `prepaid`, `dueDate`, …) from the
 * published `payment-terms` JSON schema as ../shared/spec/economic-api.md records it, and the
 * example in `_invoices.md` (`"paymentTermsType": "invoiceMonth"`);
 * e-conomic's draft schema (`invoices.drafts.post`, also quoted for orders): "dueDate … is only
 * used if the terms of payment is of type 'duedate', in which case it is a mandatory property".
 */
describe("contract: payment terms", () => {
  let r: Recorder | undefined;
  afterEach(async () => r?.close());

  it("reads the terms' type and days of credit, as list and one by number", async () => {
    const terms = {
      paymentTermsNumber: 4,
      name: "Forfaldsdato",
      daysOfCredit: 0,
      paymentTermsType: "dueDate",
      self: "x",
    };
    r = await recorder([
      { method: "GET", path: /^\/payment-terms$/, body: { collection: [terms], pagination: { results: 1 } } },
      { method: "GET", path: /^\/payment-terms\/4$/, body: terms },
    ]);
    expect(await r.client.paymentTerms.all()).toEqual([terms]);
    expect(await r.client.paymentTerms.get(4)).toMatchObject({
      paymentTermsType: "dueDate",
      daysOfCredit: 0,
    });
  });

  it("sends dueDate as YYYY-MM-DD on the draft", async () => {
    r = await recorder([
      {
        method: "POST",
        path: /^\/invoices\/drafts$/,
        status: 201,
        body: { draftInvoiceNumber: 1, date: "2026-03-01", currency: "DKK", customer: { customerNumber: 1 } },
      },
    ]);
    await r.client.draftInvoices.create({
      date: "2026-03-01",
      dueDate: "2026-03-31",
      currency: "DKK",
      customer: { customerNumber: 1 },
      paymentTerms: { paymentTermsNumber: 4 },
      layout: { layoutNumber: 19 },
      recipient: { name: "Kunde", vatZone: { vatZoneNumber: 1 } },
    });
    expect(r.sent[0]?.body).toMatchObject({ dueDate: "2026-03-31", paymentTerms: { paymentTermsNumber: 4 } });
    await expect(
      r.client.draftInvoices.create({
        date: "2026-03-01",
        dueDate: "31-03-2026",
        currency: "DKK",
        customer: { customerNumber: 1 },
        paymentTerms: { paymentTermsNumber: 4 },
        layout: { layoutNumber: 19 },
        recipient: { name: "Kunde", vatZone: { vatZoneNumber: 1 } },
      }),
    ).rejects.toMatchObject({ kind: "request" });
  });
});
