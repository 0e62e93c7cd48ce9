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
const intLike = z.union([
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

export const rackbeatCustomerSchema = z.looseObject({
  number: intLike,
  company_name: z.string(),
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
  /** 1 Domestic, 2 EU, 3 Abroad, 4 Domestic exempt. */
  vat_zone: intLike,
  currency: z.string(),
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
  unit: text,
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
  customer_id: intLike,
  customer: rackbeatCustomerSchema.nullish(),
  order_id: intLike.nullish(),
  order: z.looseObject({ number: numberText }).nullish(),
  project: z.looseObject({ number: numberText }).nullish(),
  currency: z.string(),
  currency_rate: rackbeatDecimal.nullish(),
  date: text,
  due_date: text,
  heading: text,
  note: text,
  is_booked: z.boolean(),
  total_subtotal: rackbeatDecimal,
  total_total: rackbeatDecimal,
  lines: z.array(rackbeatInvoiceLineSchema),
  address_name: text,
  address_street: text,
  address_city: text,
  address_zipcode: text,
  address_country: text,
  created_at: text,
  updated_at: text,
});
export type RackbeatCustomerInvoice = z.infer<typeof rackbeatCustomerInvoiceSchema>;

export const rackbeatWebhookSchema = z.looseObject({
  id: intLike,
  event: z.string(),
  url: z.string(),
  is_active: z.boolean().optional(),
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
