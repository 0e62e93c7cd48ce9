import { parseDecimal, shiftLeft, toDecimalString } from "@/lib/money/decimal";
import {
  checkedCurrencyRate,
  customerFacts,
  invoiceCurrencyOf,
  invoiceCustomerNumber,
  invoiceDateOf,
  invoiceSubtotalOf,
  RACKBEAT_CURRENCY_RATE_UNITS,
  type RackbeatCustomer,
  type RackbeatCustomerInvoice,
  RackbeatShapeError,
} from "@/lib/rackbeat";
import type { PlanCustomer, PlanInvoice, PlanLine, VatZoneNumber } from "./plan-types";

/**
 * Rackbeat's API objects → the source-independent `PlanInvoice`. Pure; the runner fetches what is
 * needed (the invoice with its customer, and products whose group we do not know yet).
 */

/** What the mapper needs to know about a line's item beyond the invoice line itself. */
export type LineProductInfo = {
  groupNumber: number;
  groupName?: string;
  /** The Rackbeat product's own name (not the line's text). */
  name?: string;
  /** Rackbeat's `sales_price`, a decimal string. */
  salesPrice?: string;
  unit?: string;
};

/** Input Rackbeat gave us that no plan can be made from; recorded as a failed transfer. */
export class InvoiceMappingError extends Error {
  constructor(
    readonly code: "customer_missing" | "customer_group_missing" | "invalid_vat_zone" | "product_missing",
    readonly field: string,
    readonly value?: string,
  ) {
    super(`${code}: ${field}${value === undefined ? "" : ` = "${value}"`}`);
    this.name = "InvoiceMappingError";
  }
}

function present(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** What a customer falls back to where Rackbeat leaves a field out (see lib/rackbeat/adapter.ts). */
export interface MappingFallbacks {
  /** Used for a customer without `currency`; defaults to the invoice's (else DKK). */
  invoiceCurrency?: string;
  /** The customer group of a customer without `group`; without it such a customer fails. */
  defaultCustomerGroupNumber?: number;
}

export function mapCustomer(customer: RackbeatCustomer, fallbacks: MappingFallbacks = {}): PlanCustomer {
  if (!customer.group && fallbacks.defaultCustomerGroupNumber === undefined) {
    throw new InvoiceMappingError("customer_group_missing", "customer.group", String(customer.number));
  }
  const facts = customerFacts(customer, {
    invoiceCurrency: fallbacks.invoiceCurrency ?? "DKK",
    defaultCustomerGroupNumber: fallbacks.defaultCustomerGroupNumber,
  });
  const optional = {
    groupName: facts.groupName,
    paymentTermsNumber: customer.payment_terms?.number ?? undefined,
    ean: present(customer.ean),
    cvr: present(customer.company_vat),
    theirReference: present(customer.their_reference),
    address: present(customer.address_street),
    zip: present(customer.address_zipcode),
    city: present(customer.address_city),
    country: present(customer.address_country),
    email: present(customer.contact_email),
  };
  return {
    number: String(customer.number),
    name: facts.name,
    currency: facts.currency,
    groupNumber: facts.groupNumber,
    vatZone: facts.vatZone as VatZoneNumber,
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ) as Partial<PlanCustomer>),
  };
}

/** Rackbeat's rate (per `RACKBEAT_CURRENCY_RATE_UNITS` units) as the price of one unit. */
export function perUnitRate(rate: string | null | undefined): string | undefined {
  if (rate === null || rate === undefined || rate.trim() === "") return undefined;
  const places = Math.log10(RACKBEAT_CURRENCY_RATE_UNITS);
  return toDecimalString(shiftLeft(parseDecimal(rate), places));
}

/** The item numbers of an invoice's lines, in order, without repeats. */
export function lineItemNumbers(invoice: Pick<RackbeatCustomerInvoice, "lines">): string[] {
  return [...new Set(invoice.lines.map((line) => line.child_id))];
}

export function mapInvoice(
  invoice: RackbeatCustomerInvoice,
  products: ReadonlyMap<string, LineProductInfo>,
  customer: RackbeatCustomer | null | undefined = invoice.customer,
  fallbacks: Pick<MappingFallbacks, "defaultCustomerGroupNumber"> & { baseCurrency?: string } = {},
): PlanInvoice {
  if (!customer) {
    throw new InvoiceMappingError("customer_missing", "customer", String(invoiceCustomerNumber(invoice)));
  }
  const currency = invoiceCurrencyOf(invoice, customer);
  const planCustomer = mapCustomer(customer, { ...fallbacks, invoiceCurrency: currency });
  if (invoice.lines.length === 0) throw new RackbeatShapeError("rackbeat_field_missing", "lines");
  const subtotal = invoiceSubtotalOf(invoice);
  const date = invoiceDateOf(invoice);
  if (!date) throw new RackbeatShapeError("rackbeat_field_missing", "date");
  const lines: PlanLine[] = invoice.lines.map((line, index) => {
    const product = products.get(line.child_id);
    if (!product) throw new InvoiceMappingError("product_missing", `lines[${index}].child_id`, line.child_id);
    const discount = line.discount_percentage;
    const unit = present(product.unit);
    const groupName = present(product.groupName);
    const itemName = present(product.name);
    const salesPrice = present(product.salesPrice);
    return {
      productNumber: line.child_id,
      productName: present(line.name) ?? itemName ?? line.child_id,
      ...(itemName ? { itemName } : {}),
      ...(salesPrice ? { salesPrice } : {}),
      productGroupNumber: product.groupNumber,
      ...(groupName ? { productGroupName: groupName } : {}),
      ...(unit ? { unit } : {}),
      quantity: line.quantity,
      unitPrice: line.line_price,
      ...(discount && parseDecimal(discount).units !== 0n ? { discountPercentage: discount } : {}),
    };
  });
  const optional = {
    orderNumber: present(invoice.order?.number),
    dueDate: present(invoice.due_date),
    currencyRate: checkedCurrencyRate(invoice, currency, fallbacks.baseCurrency),
    heading: present(invoice.heading),
    project: invoice.project ? { number: invoice.project.number } : undefined,
  };
  return {
    number: invoice.number,
    date,
    currency,
    subtotal,
    ...(present(invoice.total_total) ? { total: invoice.total_total! } : {}),
    customer: planCustomer,
    lines,
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ) as Partial<PlanInvoice>),
  };
}
