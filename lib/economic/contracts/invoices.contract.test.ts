import { afterEach, describe, expect, it } from "vitest";
import { type Recorder, recorder } from "./recorder";

/*
 * Draft and booked invoices.
 * Sources: e-conomic/slate `source/includes/_invoices.md`: POST `/invoices/drafts` example (date,
 * currency, paymentTerms, customer, recipient{name, vatZone}, layout, lines[] with product,
 * quantity, unitNetPrice, totalNetAmount; netAmount, vatAmount, grossAmount, roundingAmount);
 * POST `/invoices/booked` `{"draftInvoice":{"draftInvoiceNumber":N},"bookWithNumber":M,"sendBy":"ean"}`;
 * `GET /invoices/booked/:n/pdf`. Per-line `vatAmount`/`grossAmount` are the sandbox's additions:
 * UNCONFIRMED for e-conomic, so the engine never reads them (only `netAmount`, `grossAmount` of the
 * invoice, and `totalNetAmount` is optional).
 */
describe("contract: invoices", () => {
  let r: Recorder | undefined;
  afterEach(async () => r?.close());

  const draftAnswer = {
    draftInvoiceNumber: 12,
    date: "2014-08-08",
    currency: "DKK",
    netAmount: 10.0,
    grossAmount: 12.5,
    vatAmount: 2.5,
    roundingAmount: 0.0,
    paymentTerms: {
      paymentTermsNumber: 1,
      daysOfCredit: 14,
      name: "Lobende maned 14 dage",
      paymentTermsType: "invoiceMonth",
    },
    customer: { customerNumber: 1 },
    recipient: { name: "Toj & Co Grossisten", vatZone: { name: "Domestic", vatZoneNumber: 1 } },
    layout: { layoutNumber: 5 },
    lines: [
      {
        lineNumber: 1,
        sortKey: 1,
        product: { productNumber: "50" },
        quantity: 1.0,
        unitNetPrice: 10.0,
        totalNetAmount: 10.0,
      },
    ],
    pdf: { download: "https://restapi.e-conomic.com/invoices/drafts/12/pdf" },
    self: "https://restapi.e-conomic.com/invoices/drafts/12",
  };

  it("creates a draft and reads the documented answer", async () => {
    r = await recorder([{ method: "POST", path: /^\/invoices\/drafts$/, status: 201, body: draftAnswer }]);
    const draft = await r.client.draftInvoices.create({
      date: "2014-08-08",
      currency: "DKK",
      customer: { customerNumber: 1 },
      paymentTerms: { paymentTermsNumber: 1 },
      layout: { layoutNumber: 5 },
      recipient: { name: "Toj & Co Grossisten", vatZone: { vatZoneNumber: 1 } },
      references: { customerContact: { customerContactNumber: 7 } },
      lines: [
        {
          lineNumber: 1,
          sortKey: 1,
          product: { productNumber: "50" },
          description: "x",
          quantity: 1,
          unitNetPrice: 10,
        },
      ],
    });
    expect(draft).toMatchObject({ draftInvoiceNumber: 12, netAmount: 10, vatAmount: 2.5, grossAmount: 12.5 });
    expect(r.sent[0]?.body).toMatchObject({ references: { customerContact: { customerContactNumber: 7 } } });
  });

  it("books with {draftInvoice:{draftInvoiceNumber}, bookWithNumber, sendBy}", async () => {
    const { draftInvoiceNumber: _n, ...rest } = draftAnswer;
    r = await recorder([
      {
        method: "POST",
        path: /^\/invoices\/booked$/,
        status: 201,
        body: { ...rest, bookedInvoiceNumber: 1021, remainder: 12.5 },
      },
    ]);
    const booked = await r.client.bookedInvoices.book({
      draftInvoiceNumber: 12,
      bookWithNumber: 1021,
      sendBy: "ean",
    });
    expect(booked).toMatchObject({ bookedInvoiceNumber: 1021, grossAmount: 12.5 });
    expect(r.sent[0]?.body).toEqual({
      draftInvoice: { draftInvoiceNumber: 12 },
      bookWithNumber: 1021,
      sendBy: "ean",
    });
  });
});
