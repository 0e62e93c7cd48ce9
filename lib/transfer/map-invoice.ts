import { parseDecimal, shiftLeft, toDecimalString } from "@/lib/money/decimal";
import type { RackbeatCustomer, RackbeatCustomerInvoice } from "@/lib/rackbeat";
import type { PlanCustomer, PlanInvoice, PlanLine, VatZoneNumber } from "./plan-types";

/**
 * Rackbeat's API objects → the source-independent `PlanInvoice`. Pure; the runner fetches what is
 * needed (the invoice with its customer, and products whose group we do not know yet).
 */

/**
 * How many units of the invoice currency Rackbeat's `currency_rate` prices. The sandbox follows the
 * Danish convention of a rate per 100 units ("746.08" for EUR); Rackbeat's docs do not say. The plan
 * wants the price of ONE unit, so this is the one place to correct if real Rackbeat differs.
 */
export const RACKBEAT_CURRENCY_RATE_UNITS = 100;

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

function vatZoneOf(value: number): VatZoneNumber {
  if (value === 1 || value === 2 || value === 3 || value === 4) return value;
  throw new InvoiceMappingError("invalid_vat_zone", "customer.vat_zone", String(value));
}

export function mapCustomer(customer: RackbeatCustomer): PlanCustomer {
  if (!customer.group) {
    throw new InvoiceMappingError("customer_group_missing", "customer.group", String(customer.number));
  }
  const optional = {
    groupName: present(customer.group.name),
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
    name: customer.company_name,
    currency: customer.currency.trim().toUpperCase(),
    groupNumber: customer.group.number,
    vatZone: vatZoneOf(customer.vat_zone),
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
): PlanInvoice {
  if (!customer) throw new InvoiceMappingError("customer_missing", "customer", String(invoice.customer_id));
  const planCustomer = mapCustomer(customer);
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
  const date = present(invoice.date) ?? present(invoice.created_at)?.slice(0, 10);
  const optional = {
    orderNumber: present(invoice.order?.number),
    dueDate: present(invoice.due_date),
    currencyRate: perUnitRate(invoice.currency_rate),
    heading: present(invoice.heading),
    project: invoice.project ? { number: invoice.project.number } : undefined,
  };
  return {
    number: invoice.number,
    date: date ?? new Date().toISOString().slice(0, 10),
    currency: invoice.currency.trim().toUpperCase(),
    subtotal: invoice.total_subtotal,
    total: invoice.total_total,
    customer: planCustomer,
    lines,
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ) as Partial<PlanInvoice>),
  };
}
