import type { KnownMasterData, PlanInvoice } from "@/lib/transfer/plan-types";

/**
 * Realistic Rackbeat invoices for the Kundefaktura preview: what a transfer would send with the
 * settings in the form. Coffee sold by the kilo with three decimals shows what
 * "Brug faktisk antal ved oprettelse" changes; the order number and the project show the reference
 * and customer-number settings; the EAN customer shows the booking rules for public customers.
 */

export const sampleInvoiceKeys = ["regular", "ean"] as const;
export type SampleInvoiceKey = (typeof sampleInvoiceKeys)[number];

const lines: PlanInvoice["lines"] = [
  {
    productNumber: "KAF-1000",
    productName: "Kaffebønner, mørk ristning",
    productGroupNumber: 10,
    productGroupName: "Kaffe",
    unit: "kg",
    quantity: "12.345",
    unitPrice: "189.5",
  },
  {
    productNumber: "FIL-0102",
    productName: "Filterposer nr. 4",
    productGroupNumber: 20,
    productGroupName: "Tilbehør",
    unit: "stk.",
    quantity: "4",
    unitPrice: "24.95",
    discountPercentage: "10",
  },
  {
    productNumber: "TE-0200",
    productName: "Grøn te, løs",
    productGroupNumber: 30,
    productGroupName: "Te",
    unit: "kg",
    quantity: "0.75",
    unitPrice: "320",
  },
];

export const sampleInvoices: Record<SampleInvoiceKey, PlanInvoice> = {
  regular: {
    number: "1021",
    orderNumber: "5012",
    date: "2025-03-14",
    dueDate: "2025-03-28",
    currency: "DKK",
    heading: "Levering uge 11",
    // Exact line sum 2669.1975, rounded once by Rackbeat.
    subtotal: "2669.20",
    total: "3336.50",
    customer: {
      number: "1042",
      name: "Nordisk Kaffebar ApS",
      currency: "DKK",
      groupNumber: 1,
      groupName: "Indenlandske kunder",
      paymentTermsNumber: 2,
      vatZone: 1,
      cvr: "12345678",
      address: "Vestergade 12",
      zip: "8000",
      city: "Aarhus C",
      country: "Danmark",
      email: "bogholderi@nordiskkaffebar.dk",
    },
    project: { number: "7" },
    lines,
  },
  ean: {
    number: "1022",
    orderNumber: "5013",
    date: "2025-03-14",
    dueDate: "2025-04-13",
    currency: "DKK",
    subtotal: "2669.20",
    total: "3336.50",
    customer: {
      number: "2001",
      name: "Aarhus Kommune, Rådhuskantinen",
      currency: "DKK",
      groupNumber: 2,
      groupName: "Offentlige kunder",
      paymentTermsNumber: 3,
      vatZone: 1,
      ean: "5798000000017",
      theirReference: "Mette Sørensen",
      address: "Rådhuspladsen 2",
      zip: "8000",
      city: "Aarhus C",
      country: "Danmark",
    },
    lines,
  },
};

/**
 * The sample's groups already exist in e-conomic, so the preview shows the invoice itself even
 * before any account is chosen; the customer and products are new, as for a first transfer.
 */
export function sampleKnownMasterData(): KnownMasterData {
  return {
    customerGroups: new Set([1, 2]),
    customers: new Map(),
    productGroups: new Set([10, 20, 30]),
    products: new Set(),
    customerContacts: new Map(),
    dueDatePaymentTerms: new Set(),
  };
}
