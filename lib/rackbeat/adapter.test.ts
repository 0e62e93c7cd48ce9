import { describe, expect, it } from "vitest";
import { mapInvoice } from "@/lib/transfer/map-invoice";
import {
  checkedCurrencyRate,
  danishDay,
  invoiceDateOf,
  RackbeatShapeError,
  rackbeatCustomerInvoiceSchema,
  rackbeatProductSchema,
  vatZoneOf,
} from "./index";

// Shapes of Rackbeat objects we may meet (rackbeat-api.md, "Where the real API may differ"): the
// public SDK's customer invoice has `number`, `order`, `customer`, `created_at`, `updated_at`,
// `self`; the 2018 API model adds `due_date` and `total_base_currency`. Each row says whether a
// transfer can be planned from it, or which field the error names.

const fullCustomer = {
  number: 103,
  company_name: "Hamburger Feinkost GmbH",
  company_vat: "DE812345678",
  group: { number: 3, name: "Udenlandske kunder" },
  payment_terms: { number: 2 },
  vat_zone: 2,
  currency: "EUR",
};
const line = {
  child_id: "TE-1",
  child_type: "product",
  name: "Grøn te",
  quantity: 2,
  line_price: 100,
  discount_percentage: 0,
};
const full = {
  number: 1021,
  customer_id: 103,
  customer: fullCustomer,
  order: { number: "SO-77" },
  project: null,
  currency: "EUR",
  currency_rate: 746.08,
  date: "2025-03-01",
  due_date: "2025-03-15",
  is_booked: true,
  total_subtotal: 200,
  total_total: 200,
  lines: [line],
};
const minimal2018 = {
  number: 1022,
  order: { number: "SO-78" },
  customer: { number: 104, company_name: "Café Nord" },
  created_at: "2025-02-28T23:30:00Z",
  updated_at: "2025-02-28T23:30:00Z",
  self: "https://app.rackbeat.com/api/customer-invoices/1022",
  due_date: "2025-03-14",
  total_base_currency: 250,
};

type Row = {
  name: string;
  raw: Record<string, unknown>;
  defaultGroup?: number;
  expect: { ok: true; date: string; currency: string; rate?: string; vatZone?: number } | { field: string };
};

const rows: Row[] = [
  {
    name: "full object",
    raw: full,
    expect: { ok: true, date: "2025-03-01", currency: "EUR", rate: "7.4608" },
  },
  {
    name: "strings for numbers",
    raw: {
      ...full,
      number: "1021",
      customer_id: "103",
      currency_rate: "746.08",
      total_subtotal: "200.00",
      total_total: "200.00",
      customer: { ...fullCustomer, number: "103", vat_zone: "2" },
      lines: [{ ...line, quantity: "2", line_price: "100.000000" }],
    },
    expect: { ok: true, date: "2025-03-01", currency: "EUR", rate: "7.4608", vatZone: 2 },
  },
  {
    name: "vat_zone as a name",
    raw: { ...full, customer: { ...fullCustomer, vat_zone: "EU" } },
    expect: { ok: true, date: "2025-03-01", currency: "EUR", vatZone: 2 },
  },
  {
    name: "missing vat_zone of a foreign customer",
    raw: { ...full, customer: { ...fullCustomer, vat_zone: undefined } },
    expect: { field: "customer.vat_zone" },
  },
  {
    name: "missing vat_zone of a Danish-krone customer: domestic",
    raw: {
      ...full,
      currency: "DKK",
      currency_rate: 100,
      customer: { ...fullCustomer, currency: "DKK", vat_zone: undefined },
    },
    expect: { ok: true, date: "2025-03-01", currency: "DKK", vatZone: 1 },
  },
  {
    name: "unknown vat_zone",
    raw: { ...full, customer: { ...fullCustomer, vat_zone: "Mars" } },
    expect: { field: "customer.vat_zone" },
  },
  {
    name: "missing customer currency: the invoice's",
    raw: { ...full, customer: { ...fullCustomer, currency: undefined } },
    expect: { ok: true, date: "2025-03-01", currency: "EUR" },
  },
  {
    name: "missing invoice currency: the customer's",
    raw: { ...full, currency: undefined },
    expect: { ok: true, date: "2025-03-01", currency: "EUR" },
  },
  {
    name: "no currency anywhere",
    raw: { ...full, currency: undefined, customer: { ...fullCustomer, currency: undefined } },
    expect: { field: "currency" },
  },
  {
    name: "missing group without a default",
    raw: { ...full, customer: { ...fullCustomer, group: undefined } },
    expect: { field: "customer.group" },
  },
  {
    name: "missing group with the default customer group",
    raw: { ...full, customer: { ...fullCustomer, group: undefined } },
    defaultGroup: 1,
    expect: { ok: true, date: "2025-03-01", currency: "EUR" },
  },
  {
    name: "invoice_date instead of date",
    raw: { ...full, date: undefined, invoice_date: "2025-03-02" },
    expect: { ok: true, date: "2025-03-02", currency: "EUR" },
  },
  {
    name: "no date: created_at in Danish time",
    raw: { ...full, date: undefined, created_at: "2025-03-02T23:30:00Z" },
    expect: { ok: true, date: "2025-03-03", currency: "EUR" },
  },
  {
    name: "customer_id missing: the embedded customer's number",
    raw: { ...full, customer_id: undefined },
    expect: { ok: true, date: "2025-03-01", currency: "EUR" },
  },
  { name: "minimal 2018-style object", raw: minimal2018, expect: { field: "currency" } },
  {
    name: "minimal 2018-style object with currency",
    raw: { ...minimal2018, currency: "DKK" },
    defaultGroup: 1,
    expect: { field: "lines" },
  },
  {
    name: "minimal with currency and lines",
    raw: { ...minimal2018, currency: "DKK", lines: [line] },
    defaultGroup: 1,
    expect: { field: "total_subtotal" },
  },
  {
    name: "minimal with currency, lines and subtotal",
    raw: { ...minimal2018, currency: "DKK", lines: [line], total_subtotal: 200 },
    defaultGroup: 1,
    expect: { ok: true, date: "2025-03-01", currency: "DKK" },
  },
  {
    name: "rate per 100 agreeing with the base-currency total",
    raw: { ...full, total_base_currency: 1492.16 },
    expect: { ok: true, date: "2025-03-01", currency: "EUR", rate: "7.4608" },
  },
  {
    name: "rate per 1 where per 100 is assumed: refused",
    raw: { ...full, currency_rate: 7.4608, total_base_currency: 1492.16 },
    expect: { field: "currency_rate" },
  },
  {
    name: "no stated rate: derived from the base-currency total",
    raw: { ...full, currency_rate: null, total_base_currency: 1492.16 },
    expect: { ok: true, date: "2025-03-01", currency: "EUR", rate: "7.4608" },
  },
];

describe("Rackbeat shapes → plan input", () => {
  const products = new Map([["TE-1", { groupNumber: 1, name: "Grøn te", unit: "kg" }]]);
  for (const row of rows) {
    it(row.name, () => {
      const raw = rackbeatCustomerInvoiceSchema.parse(row.raw);
      const map = () =>
        mapInvoice(raw, products, raw.customer, { defaultCustomerGroupNumber: row.defaultGroup });
      if ("field" in row.expect) {
        let error: unknown;
        try {
          map();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(Error);
        expect((error as { field?: string }).field).toBe(row.expect.field);
        return;
      }
      const invoice = map();
      expect(invoice.date).toBe(row.expect.date);
      expect(invoice.currency).toBe(row.expect.currency);
      if (row.expect.rate) expect(invoice.currencyRate).toBe(row.expect.rate);
      if (row.expect.vatZone) expect(invoice.customer.vatZone).toBe(row.expect.vatZone);
    });
  }
});

describe("adapter pieces", () => {
  it("reads unit as a string or an object", () => {
    expect(rackbeatProductSchema.parse({ number: 1, name: "x", unit: { name: "kg" } }).unit).toBe("kg");
    expect(rackbeatProductSchema.parse({ number: 1, name: "x", unit: "stk" }).unit).toBe("stk");
    expect(rackbeatProductSchema.parse({ number: 1, name: "x" }).unit).toBeNull();
  });

  it("reads VAT zones as numbers, numeric strings and names", () => {
    expect([vatZoneOf(3), vatZoneOf("4"), vatZoneOf("Domestic exempt"), vatZoneOf(null)]).toEqual([
      3, 4, 4, 1,
    ]);
    expect(() => vatZoneOf(7)).toThrow(RackbeatShapeError);
  });

  it("dates a timestamp in Danish time", () => {
    expect(danishDay("2025-06-30T22:10:00Z")).toBe("2025-07-01");
    expect(invoiceDateOf({ date: "2025-01-05T00:00:00+01:00" })).toBe("2025-01-05");
  });

  it("checks the stated rate against the base-currency total within 1 %", () => {
    const invoice = { currency_rate: "746.08", total_total: "100", total_base_currency: "750" };
    expect(checkedCurrencyRate(invoice, "EUR")).toBe("7.4608");
    expect(() => checkedCurrencyRate({ ...invoice, total_base_currency: "760" }, "EUR")).toThrow(
      /currency_rate_mismatch/,
    );
    expect(checkedCurrencyRate(invoice, "DKK")).toBeUndefined();
  });
});
