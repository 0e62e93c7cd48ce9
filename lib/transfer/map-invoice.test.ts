import { describe, expect, it } from "vitest";
import { rackbeatCustomerInvoiceSchema } from "@/lib/rackbeat";
import { InvoiceMappingError, mapInvoice, perUnitRate } from "./map-invoice";

const raw = rackbeatCustomerInvoiceSchema.parse({
  number: 1021,
  customer_id: 103,
  customer: {
    number: 103,
    company_name: "Hamburger Feinkost GmbH",
    company_vat: "DE812345678",
    ean: null,
    their_reference: null,
    address_street: "Am Sandtorkai 5",
    address_city: "Hamburg",
    address_zipcode: "20457",
    address_country: "DE",
    contact_email: "einkauf@hamburger-feinkost.de",
    payment_terms: { number: 2 },
    group: { number: 3, name: "Udenlandske kunder" },
    vat_zone: 2,
    currency: "EUR",
  },
  order: { number: "SO-77" },
  project: null,
  currency: "EUR",
  currency_rate: 746.08,
  date: "2025-03-01",
  due_date: "2025-03-15",
  heading: "  ",
  is_booked: true,
  total_subtotal: 389.12,
  total_total: 389.12,
  lines: [
    {
      child_id: "TE LØS 12",
      child_type: "product",
      name: null,
      quantity: 1.0,
      line_price: 389.123456,
      discount_percentage: 0,
    },
  ],
});

describe("mapInvoice", () => {
  it("maps Rackbeat's invoice, customer and products to the plan input", () => {
    const products = new Map([
      [
        "TE LØS 12",
        {
          groupNumber: 1,
          groupName: "Kaffe og te",
          name: "Grøn te, løs",
          salesPrice: "389.123456",
          unit: "kg",
        },
      ],
    ]);
    expect(mapInvoice(raw, products)).toEqual({
      number: "1021",
      orderNumber: "SO-77",
      date: "2025-03-01",
      dueDate: "2025-03-15",
      currency: "EUR",
      currencyRate: "7.4608",
      subtotal: "389.12",
      total: "389.12",
      customer: {
        number: "103",
        name: "Hamburger Feinkost GmbH",
        currency: "EUR",
        groupNumber: 3,
        groupName: "Udenlandske kunder",
        paymentTermsNumber: 2,
        vatZone: 2,
        cvr: "DE812345678",
        address: "Am Sandtorkai 5",
        zip: "20457",
        city: "Hamburg",
        country: "DE",
        email: "einkauf@hamburger-feinkost.de",
      },
      lines: [
        {
          productNumber: "TE LØS 12",
          // The line has no text of its own, so the product's name is both.
          productName: "Grøn te, løs",
          itemName: "Grøn te, løs",
          salesPrice: "389.123456",
          productGroupNumber: 1,
          productGroupName: "Kaffe og te",
          unit: "kg",
          quantity: "1",
          unitPrice: "389.123456",
        },
      ],
    });
  });

  it("refuses what no plan can be made from", () => {
    expect(() => mapInvoice(raw, new Map())).toThrow(InvoiceMappingError);
    expect(() => mapInvoice({ ...raw, customer: { ...raw.customer!, group: null } }, new Map())).toThrow(
      /customer_group_missing/,
    );
  });

  it("turns Rackbeat's rate per 100 units into the price of one unit", () => {
    expect(perUnitRate("746.08")).toBe("7.4608");
    expect(perUnitRate(undefined)).toBeUndefined();
  });
});
