import { z } from "zod";
import { parseDecimal, toDecimalString } from "@/lib/money/decimal";

// Rackbeat's objects, as far as we use them. Parsed strictly where we depend on a field and
// leniently otherwise (`z.looseObject`: unknown fields pass through untouched). Decimals arrive as
// JSON numbers and leave as exact decimal strings ("12.345678"), so no float reaches our arithmetic.

/** A decimal number or numeric string, as its canonical decimal string. */
export const rackbeatDecimal = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return toDecimalString(parseDecimal(value));
  } catch {
    ctx.addIssue({ code: "custom", message: `Not a decimal: ${String(value)}` });
    return z.NEVER;
  }
});

/** An integer that may arrive as a number or a string of digits. */
export const intLike = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
/** An item number: free text, even when Rackbeat sends it as a JSON number. */
const numberText = z.union([z.string(), z.number()]).transform(String);
const text = z.string().nullish();

export const rackbeatSelfSchema = z.looseObject({
  user_account: z.looseObject({ id: intLike, name: z.string() }),
});
export type RackbeatSelf = z.infer<typeof rackbeatSelfSchema>["user_account"];

export const rackbeatCustomerGroupSchema = z.looseObject({ number: intLike, name: z.string() });
export type RackbeatCustomerGroup = z.infer<typeof rackbeatCustomerGroupSchema>;

/**
 * A unit as a string ("stk") or an object (`{"name":"stk"}`, as some Rackbeat models nest it):
 * always a string (or null) once parsed. Source: rackbeat-api.md, "Where the real API may differ".
 */
const unitText = z
  .union([z.string(), z.looseObject({ name: z.string().nullish() })])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : typeof v === "string" ? v : (v.name ?? null)));

/**
 * Rackbeat's public SDK models list few fields, so everything a transfer can do without is optional
 * here and falls back in `lib/rackbeat/adapter.ts`, which names the field when there is no fallback.
 */
export const rackbeatCustomerSchema = z.looseObject({
  number: intLike,
  company_name: z.string().nullish(),
  name: text,
  company_vat: text,
  ean: numberText.nullish(),
  their_reference: text,
  address_street: text,
  address_city: text,
  address_zipcode: text,
  address_country: text,
  contact_email: text,
  payment_terms: z.looseObject({ number: intLike }).nullish(),
  group: z.looseObject({ number: intLike, name: text }).nullish(),
  /** 1 Domestic, 2 EU, 3 Abroad, 4 Domestic exempt; a number, numeric string or name (adapter.ts). */
  vat_zone: z.union([z.number(), z.string()]).nullish(),
  currency: text,
});
export type RackbeatCustomer = z.infer<typeof rackbeatCustomerSchema>;

export const rackbeatProductGroupSchema = z.looseObject({
  number: intLike,
  name: z.string(),
  vat_domestic: rackbeatDecimal.nullish(),
  vat_eu: rackbeatDecimal.nullish(),
  vat_abroad: rackbeatDecimal.nullish(),
  vat_domestic_exempt: rackbeatDecimal.nullish(),
});
export type RackbeatProductGroup = z.infer<typeof rackbeatProductGroupSchema>;

export const rackbeatProductSchema = z.looseObject({
  number: numberText,
  name: z.string(),
  group: z.looseObject({ number: intLike }).nullish(),
  sales_price: rackbeatDecimal.nullish(),
  unit: unitText,
});
export type RackbeatProduct = z.infer<typeof rackbeatProductSchema>;

export const rackbeatInvoiceLineSchema = z.looseObject({
  /** The item number (of a product or a lot). */
  child_id: numberText,
  child_type: z.string(),
  name: z.string().nullish(),
  quantity: rackbeatDecimal,
  /** Unit price, up to 6 decimals. */
  line_price: rackbeatDecimal,
  discount_percentage: rackbeatDecimal.nullish().transform((v) => v ?? "0"),
  vat_percentage: rackbeatDecimal.nullish(),
});
export type RackbeatInvoiceLine = z.infer<typeof rackbeatInvoiceLineSchema>;

export const rackbeatCustomerInvoiceSchema = z.looseObject({
  number: numberText,
  /** Missing in minimal shapes: the embedded customer's number stands in (adapter.ts). */
  customer_id: intLike.nullish(),
  customer: rackbeatCustomerSchema.nullish(),
  order_id: intLike.nullish(),
  order: z.looseObject({ number: numberText }).nullish(),
  project: z.looseObject({ number: numberText }).nullish(),
  currency: text,
  currency_rate: rackbeatDecimal.nullish(),
  date: text,
  /** Some models name the invoice date so (adapter.ts: date ← date, invoice_date, created_at). */
  invoice_date: text,
  due_date: text,
  heading: text,
  note: text,
  is_booked: z.boolean().nullish(),
  /** When it was booked (our sandbox; the real name is unconfirmed: updated_at stands in). */
  booked_at: text,
  total_subtotal: rackbeatDecimal.nullish(),
  total_total: rackbeatDecimal.nullish(),
  /** The total in the base currency (Rackbeat's 2018 API model): checks `currency_rate`. */
  total_base_currency: rackbeatDecimal.nullish(),
  /** Absent in minimal shapes: read as no lines, which the adapter refuses naming `lines`. */
  lines: z
    .array(rackbeatInvoiceLineSchema)
    .nullish()
    .transform((v) => v ?? []),
  address_name: text,
  address_street: text,
  address_city: text,
  address_zipcode: text,
  address_country: text,
  created_at: text,
  updated_at: text,
});
export type RackbeatCustomerInvoice = z.infer<typeof rackbeatCustomerInvoiceSchema>;

/**
 * A customer invoice as a list item: only what reconciliation reads (the rest passes untouched).
 * `is_booked` and `booked_at` may be absent (then `updated_at` dates the booking: adapter.ts).
 */
export const rackbeatInvoiceListItemSchema = z.looseObject({
  number: numberText,
  is_booked: z.boolean().nullish(),
  booked_at: text,
  created_at: text,
  updated_at: text,
});
export type RackbeatInvoiceListItem = z.infer<typeof rackbeatInvoiceListItemSchema>;

export const rackbeatWebhookSchema = z.looseObject({
  id: intLike,
  event: z.string(),
  url: z.string(),
  is_active: z.boolean().optional(),
  /** Rackbeat's count of failed deliveries since the last success (absent in older answers). */
  failures_since_last_success: intLike.nullish(),
  /** Only in the answer that created the webhook. */
  token: z.string().optional(),
});
export type RackbeatWebhook = z.infer<typeof rackbeatWebhookSchema>;

/** Rackbeat's list envelope: `{"<plural>":[...],"pages","page","limit","total"}`. */
export function rackbeatListSchema<K extends string, T extends z.ZodType>(plural: K, item: T) {
  return z.looseObject({
    [plural]: z.array(item),
    pages: intLike.optional(),
    page: intLike.optional(),
    limit: intLike.optional(),
    total: intLike.optional(),
  } as { [P in K]: z.ZodArray<T> } & {
    pages: z.ZodOptional<typeof intLike>;
    page: z.ZodOptional<typeof intLike>;
    limit: z.ZodOptional<typeof intLike>;
    total: z.ZodOptional<typeof intLike>;
  });
}

/** Rackbeat's (Laravel's) error body. */
export const rackbeatErrorBodySchema = z.looseObject({
  message: z.string().optional(),
  errors: z.record(z.string(), z.union([z.array(z.string()), z.string()])).optional(),
});
