import {
  abs,
  compare,
  type Decimal,
  multiply,
  parseDecimal,
  shiftLeft,
  subtract,
  toDecimalString,
} from "@/lib/money/decimal";
import type { RackbeatCustomer, RackbeatCustomerInvoice, RackbeatProduct } from "./schemas";

/**
 * The one place that reads Rackbeat's objects with the fallbacks of `rackbeat-api.md` ("Where the
 * real API may differ"): Rackbeat's public SDK models list few invoice fields (`number`, `order`,
 * `customer`, `created_at`, `updated_at`; a 2018 API model adds `due_date` and `total_base_currency`
 * but no `date` or `project`), so every field a transfer can do without falls back, and one it
 * cannot do without throws `RackbeatShapeError` naming it. Pure.
 */

export type RackbeatShapeErrorCode = "rackbeat_field_missing" | "invalid_vat_zone" | "currency_rate_mismatch";

/** A Rackbeat object a transfer cannot be made from; `field` names the field at fault. */
export class RackbeatShapeError extends Error {
  constructor(
    readonly code: RackbeatShapeErrorCode,
    readonly field: string,
    readonly value?: string,
  ) {
    super(`${code}: ${field}${value === undefined ? "" : ` = "${value}"`}`);
    this.name = "RackbeatShapeError";
  }
}

function present(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

// --- invoice

/** The invoice's customer number: `customer_id`, else the embedded customer's `number`. */
export function invoiceCustomerNumber(
  invoice: Pick<RackbeatCustomerInvoice, "customer_id" | "customer">,
): number {
  const number = invoice.customer_id ?? invoice.customer?.number;
  if (number === null || number === undefined)
    throw new RackbeatShapeError("rackbeat_field_missing", "customer_id");
  return number;
}

const danishDate = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Copenhagen",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** A timestamp's calendar day in Danish time ("2025-03-01T23:30:00Z" is 2 March in Denmark). */
export function danishDay(timestamp: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(timestamp)) return timestamp;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : danishDate.format(new Date(ms));
}

/** The invoice date: `date`, else `invoice_date`, else `created_at` in Danish time. */
export function invoiceDateOf(
  invoice: Pick<RackbeatCustomerInvoice, "date" | "invoice_date" | "created_at">,
): string | undefined {
  const explicit = present(invoice.date) ?? present(invoice.invoice_date);
  if (explicit) return explicit.match(/^\d{4}-\d{2}-\d{2}/)?.[0] ?? danishDay(explicit);
  const created = present(invoice.created_at);
  return created ? danishDay(created) : undefined;
}

/** The invoice currency, else the customer's (a Rackbeat invoice is in its customer's currency). */
export function invoiceCurrencyOf(
  invoice: Pick<RackbeatCustomerInvoice, "currency">,
  customer?: Pick<RackbeatCustomer, "currency"> | null,
): string {
  const currency = present(invoice.currency) ?? present(customer?.currency);
  if (!currency) throw new RackbeatShapeError("rackbeat_field_missing", "currency");
  return currency.toUpperCase();
}

/** The net subtotal, which the transfer compares with e-conomic's net amount. */
export function invoiceSubtotalOf(invoice: Pick<RackbeatCustomerInvoice, "total_subtotal">): string {
  if (invoice.total_subtotal === null || invoice.total_subtotal === undefined) {
    throw new RackbeatShapeError("rackbeat_field_missing", "total_subtotal");
  }
  return invoice.total_subtotal;
}

/** When Rackbeat booked the invoice (`booked_at`, else `updated_at`): the sweep's watermark. */
export function invoiceBookedAt(
  invoice: Pick<RackbeatCustomerInvoice, "booked_at" | "updated_at">,
): Date | undefined {
  const value = present(invoice.booked_at) ?? present(invoice.updated_at);
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

// --- currency rate

/**
 * How many units of the invoice currency Rackbeat's `currency_rate` prices. Rackbeat's docs do not
 * say; our sandbox follows the Danish convention of a rate per 100 units ("746.08" for EUR). Where
 * the invoice carries `total_base_currency`, `checkedCurrencyRate` holds the stated rate against it.
 */
export const RACKBEAT_CURRENCY_RATE_UNITS = 100;
/** The largest disagreement tolerated between the stated rate and the totals' rate: 1 %. */
export const CURRENCY_RATE_TOLERANCE_PERCENT = 1;

/** a / b to `places` decimals, half away from zero. */
function divide(a: Decimal, b: Decimal, places: number): Decimal {
  const numerator = a.units * 10n ** BigInt(b.scale + places);
  const denominator = b.units * 10n ** BigInt(a.scale);
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const rounded = (2n * n + d) / (2n * d);
  return { units: negative ? -rounded : rounded, scale: places };
}

/**
 * The invoice's exchange rate as the base-currency price of ONE unit (the plan sends it to e-conomic
 * per 100), or undefined when the invoice is in the base currency or carries no rate.
 *
 * Where `total_base_currency` and `total_total` are both present, the rate they imply is the check:
 * a stated `currency_rate` that disagrees by more than 1 % stops the transfer (its unit may not be
 * what we assume); without a stated rate, the implied one is used.
 */
export function checkedCurrencyRate(
  invoice: Pick<RackbeatCustomerInvoice, "currency_rate" | "total_total" | "total_base_currency">,
  currency: string,
  baseCurrency = "DKK",
): string | undefined {
  if (currency.toUpperCase() === baseCurrency.toUpperCase()) return undefined;
  const stated = present(invoice.currency_rate)
    ? shiftLeft(parseDecimal(invoice.currency_rate!), Math.log10(RACKBEAT_CURRENCY_RATE_UNITS))
    : undefined;
  const total = present(invoice.total_total) ? parseDecimal(invoice.total_total!) : undefined;
  const base = present(invoice.total_base_currency) ? parseDecimal(invoice.total_base_currency!) : undefined;
  if (!total || !base || total.units === 0n) return stated ? toDecimalString(stated) : undefined;
  const implied = divide(base, total, 6);
  if (!stated) return toDecimalString(implied);
  // |stated × total − base| ≤ 1 % of |base|, without dividing.
  const difference = abs(subtract(multiply(stated, total), base));
  const allowed = multiply(abs(base), parseDecimal(CURRENCY_RATE_TOLERANCE_PERCENT / 100));
  if (compare(difference, allowed) > 0) {
    throw new RackbeatShapeError(
      "currency_rate_mismatch",
      "currency_rate",
      `${invoice.currency_rate} / ${RACKBEAT_CURRENCY_RATE_UNITS} ≠ ${toDecimalString(implied)}`,
    );
  }
  return toDecimalString(stated);
}

// --- customer

const VAT_ZONE_NAMES: Record<string, 1 | 2 | 3 | 4> = {
  domestic: 1,
  indland: 1,
  eu: 2,
  abroad: 3,
  udland: 3,
  "domestic exempt": 4,
  domestic_exempt: 4,
  "domestic-exempt": 4,
  exempt: 4,
  momsfri: 4,
};

/**
 * A customer's VAT zone (1 Domestic, 2 EU, 3 Abroad, 4 Domestic exempt) from a number, a numeric
 * string or a name. Without one, a customer invoiced in Danish kroner with no foreign address is
 * domestic (Rackbeat's default for a new customer); any other customer fails naming the field, as a
 * wrong zone would book the wrong VAT.
 */
export function vatZoneOf(
  value: number | string | null | undefined,
  missing: { currency?: string; country?: string | null } = { currency: "DKK" },
): 1 | 2 | 3 | 4 {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    const country = present(missing.country ?? undefined)?.toLowerCase();
    const danish = !country || ["dk", "dnk", "danmark", "denmark"].includes(country);
    if (missing.currency?.toUpperCase() === "DKK" && danish) return 1;
    throw new RackbeatShapeError("rackbeat_field_missing", "customer.vat_zone");
  }
  const text = String(value).trim().toLowerCase();
  const number = /^\d+$/.test(text) ? Number(text) : VAT_ZONE_NAMES[text];
  if (number === 1 || number === 2 || number === 3 || number === 4) return number;
  throw new RackbeatShapeError("invalid_vat_zone", "customer.vat_zone", String(value));
}

export interface CustomerFallbacks {
  /** The invoice's currency: a customer without one is invoiced in it. */
  invoiceCurrency: string;
  /** The customer group used when Rackbeat names none (`undefined`: the customer must have one). */
  defaultCustomerGroupNumber?: number;
}

/** The facts of a Rackbeat customer that a transfer needs, with the spec's fallbacks. */
export function customerFacts(customer: RackbeatCustomer, fallbacks: CustomerFallbacks) {
  const name = present(customer.company_name) ?? present(customer.name);
  if (!name) throw new RackbeatShapeError("rackbeat_field_missing", "customer.company_name");
  const groupNumber = customer.group?.number ?? fallbacks.defaultCustomerGroupNumber;
  if (groupNumber === undefined) {
    throw new RackbeatShapeError("rackbeat_field_missing", "customer.group", String(customer.number));
  }
  const currency = (present(customer.currency) ?? fallbacks.invoiceCurrency).toUpperCase();
  return {
    name,
    currency,
    groupNumber,
    groupName: customer.group ? present(customer.group.name) : undefined,
    vatZone: vatZoneOf(customer.vat_zone, { currency, country: customer.address_country }),
  };
}

// --- product

/** A product's unit as text (`unit` arrives as a string or as `{name}`; the schema flattens it). */
export function productUnitOf(product: Pick<RackbeatProduct, "unit">): string | undefined {
  return present(product.unit);
}
