import { z } from "zod";

/*
 * Wire types of the e-conomic endpoints we use. Responses are loose objects: e-conomic adds fields
 * over time and we must not break on them, and booleans are omitted when false, hence optional.
 * Money stays a JSON number as e-conomic sends it; the client never computes with it.
 * Requests are also loose so a caller can pass a field we have not modelled yet.
 */

const numberRef = <K extends string>(key: K) =>
  z.looseObject({ [key]: z.number().int() } as Record<K, z.ZodNumber>);

export const selfSchema = z.looseObject({
  agreementNumber: z.number().int(),
  company: z.looseObject({ name: z.string().optional(), vatNumber: z.string().optional() }).optional(),
  companyAffiliation: z.string().optional(),
  userName: z.string().optional(),
  application: z.looseObject({ name: z.string().optional() }).optional(),
});
export type EconomicSelf = z.infer<typeof selfSchema>;

export const paginationSchema = z.looseObject({
  maxPageSizeAllowed: z.number().optional(),
  skipPages: z.number().optional(),
  pageSize: z.number().optional(),
  results: z.number().optional(),
  resultsWithoutFilter: z.number().optional(),
  firstPage: z.string().optional(),
  nextPage: z.string().optional(),
  lastPage: z.string().optional(),
});

export const collectionSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    collection: z.array(item),
    pagination: paginationSchema.optional(),
    self: z.string().optional(),
  });

export interface Page<T> {
  items: T[];
  skipPages: number;
  pageSize: number;
  /** Total matching results, when e-conomic says. */
  results?: number;
  hasMore: boolean;
}

export const accountSchema = z.looseObject({
  accountNumber: z.number().int(),
  accountType: z.string(),
  name: z.string().optional(),
  balance: z.number().optional(),
  barred: z.boolean().optional(),
  blockDirectEntries: z.boolean().optional(),
  debitCredit: z.string().optional(),
  vatAccount: z.looseObject({ vatCode: z.string() }).optional(),
});
export type EconomicAccount = z.infer<typeof accountSchema>;

export const vatZoneSchema = z.looseObject({
  vatZoneNumber: z.number().int(),
  name: z.string(),
  enabledForCustomer: z.boolean().optional(),
  enabledForSupplier: z.boolean().optional(),
});
export type EconomicVatZone = z.infer<typeof vatZoneSchema>;

export const paymentTermsSchema = z.looseObject({
  paymentTermsNumber: z.number().int(),
  name: z.string(),
  daysOfCredit: z.number().optional(),
  paymentTermsType: z.string().optional(),
});
export type EconomicPaymentTerms = z.infer<typeof paymentTermsSchema>;

export const layoutSchema = z.looseObject({ layoutNumber: z.number().int(), name: z.string().optional() });
export type EconomicLayout = z.infer<typeof layoutSchema>;

export const unitSchema = z.looseObject({ unitNumber: z.number().int(), name: z.string().optional() });
export type EconomicUnit = z.infer<typeof unitSchema>;

const customerFields = {
  currency: z.string().length(3),
  customerGroup: numberRef("customerGroupNumber"),
  name: z.string().min(1).max(255),
  paymentTerms: numberRef("paymentTermsNumber"),
  vatZone: numberRef("vatZoneNumber"),
  address: z.string().optional(),
  zip: z.string().optional(),
  city: z.string().optional(),
  country: z.string().optional(),
  email: z.string().optional(),
  telephoneAndFaxNumber: z.string().optional(),
  corporateIdentificationNumber: z.string().optional(),
  ean: z.string().max(40).optional(),
  layout: numberRef("layoutNumber").optional(),
  barred: z.boolean().optional(),
  /** The customer's contact person (a customer contact's number); EAN invoices need one. */
  attention: numberRef("customerContactNumber").optional(),
};

export const customerInputSchema = z.looseObject({
  customerNumber: z.number().int().min(1).max(999_999_999).optional(),
  ...customerFields,
});
export type EconomicCustomerInput = z.input<typeof customerInputSchema>;

export const customerSchema = z.looseObject({
  customerNumber: z.number().int(),
  ...customerFields,
  // A response is what e-conomic stored; do not reject it over limits that only apply to input.
  currency: z.string(),
  name: z.string(),
  ean: z.string().optional(),
  self: z.string().optional(),
});
export type EconomicCustomer = z.infer<typeof customerSchema>;

export const customerContactInputSchema = z.looseObject({
  name: z.string().min(1),
  email: z.string().optional(),
  phone: z.string().optional(),
});
export type EconomicCustomerContactInput = z.input<typeof customerContactInputSchema>;

export const customerContactSchema = z.looseObject({
  customerContactNumber: z.number().int(),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  self: z.string().optional(),
});
export type EconomicCustomerContact = z.infer<typeof customerContactSchema>;

export const customerGroupInputSchema = z.looseObject({
  customerGroupNumber: z.number().int().min(1),
  account: numberRef("accountNumber"),
  name: z.string().max(50).optional(),
  layout: numberRef("layoutNumber").optional(),
});
export type EconomicCustomerGroupInput = z.input<typeof customerGroupInputSchema>;

export const customerGroupSchema = z.looseObject({
  customerGroupNumber: z.number().int(),
  name: z.string().optional(),
  account: numberRef("accountNumber").optional(),
  layout: numberRef("layoutNumber").optional(),
  self: z.string().optional(),
});
export type EconomicCustomerGroup = z.infer<typeof customerGroupSchema>;

export const productGroupSchema = z.looseObject({
  productGroupNumber: z.number().int(),
  name: z.string().optional(),
  /** A link to `/product-groups/:n/sales-accounts`, not the accounts themselves. */
  salesAccounts: z.string().optional(),
  self: z.string().optional(),
});
export type EconomicProductGroup = z.infer<typeof productGroupSchema>;

export const productGroupSalesAccountSchema = z.looseObject({
  salesAccount: numberRef("accountNumber"),
  vatZone: numberRef("vatZoneNumber"),
});
export type EconomicProductGroupSalesAccount = z.infer<typeof productGroupSalesAccountSchema>;

/**
 * Our shape for creating a product group; the Products API adapter maps it to the wire. The
 * domestic zone (1) is required: the Products API takes it as the group's `domesticAccountId`.
 */
export const productGroupInputSchema = z.object({
  productGroupNumber: z.number().int().min(1).max(999_999_999),
  name: z.string().min(1).max(50),
  salesAccounts: z
    .array(z.object({ vatZoneNumber: z.number().int().min(1), accountNumber: z.number().int().min(1) }))
    .min(1)
    .refine((accounts) => accounts.some((a) => a.vatZoneNumber === 1), {
      error: "A product group needs a revenue account for the domestic VAT zone (1).",
    }),
});
export type EconomicProductGroupInput = z.input<typeof productGroupInputSchema>;

const productFields = {
  productNumber: z.string().min(1).max(25),
  name: z.string().min(1),
  productGroup: numberRef("productGroupNumber"),
  description: z.string().optional(),
  salesPrice: z.number().optional(),
  costPrice: z.number().optional(),
  unit: numberRef("unitNumber").optional(),
  barred: z.boolean().optional(),
};

export const productInputSchema = z.looseObject(productFields);
export type EconomicProductInput = z.input<typeof productInputSchema>;

export const productSchema = z.looseObject({
  ...productFields,
  productNumber: z.string(),
  name: z.string(),
  productGroup: numberRef("productGroupNumber").optional(),
  self: z.string().optional(),
});
export type EconomicProduct = z.infer<typeof productSchema>;

export const projectSchema = z.looseObject({
  number: z.number().int(),
  name: z.string(),
  customerNumber: z.number().int().nullish(),
  isClosed: z.boolean().optional(),
  isBarred: z.boolean().optional(),
});
export type EconomicProject = z.infer<typeof projectSchema>;

/** The Projects API's list shape is not confirmed: accept a bare array or a wrapped one. */
export const projectListSchema = z.union([
  z.array(projectSchema),
  z.looseObject({ items: z.array(projectSchema) }).transform((v) => v.items),
  z.looseObject({ collection: z.array(projectSchema) }).transform((v) => v.collection),
]);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Expected YYYY-MM-DD" });

export const invoiceLineInputSchema = z.looseObject({
  lineNumber: z.number().int().optional(),
  sortKey: z.number().int().optional(),
  product: z.looseObject({ productNumber: z.string() }).optional(),
  description: z.string().optional(),
  quantity: z.number().optional(),
  unitNetPrice: z.number().optional(),
  discountPercentage: z.number().optional(),
  unit: numberRef("unitNumber").optional(),
});
export type EconomicInvoiceLineInput = z.input<typeof invoiceLineInputSchema>;

export const draftInvoiceInputSchema = z.looseObject({
  date: isoDate,
  dueDate: isoDate.optional(),
  currency: z.string().length(3),
  exchangeRate: z.number().optional(),
  customer: numberRef("customerNumber"),
  paymentTerms: numberRef("paymentTermsNumber"),
  layout: numberRef("layoutNumber"),
  recipient: z.looseObject({
    name: z.string().min(1),
    vatZone: numberRef("vatZoneNumber"),
    address: z.string().optional(),
    zip: z.string().optional(),
    city: z.string().optional(),
    country: z.string().optional(),
    ean: z.string().max(13).optional(),
    nemHandelType: z.enum(["ean", "corporateIdentificationNumber", "pNumber"]).optional(),
    attention: numberRef("customerContactNumber").optional(),
  }),
  references: z
    .looseObject({
      other: z.string().max(250).optional(),
      customerContact: numberRef("customerContactNumber").optional(),
      salesPerson: numberRef("employeeNumber").optional(),
    })
    .optional(),
  notes: z
    .looseObject({
      heading: z.string().max(250).optional(),
      textLine1: z.string().optional(),
      textLine2: z.string().optional(),
    })
    .optional(),
  project: numberRef("projectNumber").optional(),
  lines: z.array(invoiceLineInputSchema).optional(),
});
export type EconomicDraftInvoiceInput = z.input<typeof draftInvoiceInputSchema>;

const invoiceLineSchema = invoiceLineInputSchema.extend({ totalNetAmount: z.number().optional() });

const invoiceCommon = {
  date: z.string(),
  dueDate: z.string().optional(),
  currency: z.string(),
  exchangeRate: z.number().optional(),
  netAmount: z.number().optional(),
  vatAmount: z.number().optional(),
  grossAmount: z.number().optional(),
  customer: numberRef("customerNumber"),
  paymentTerms: numberRef("paymentTermsNumber").optional(),
  layout: numberRef("layoutNumber").optional(),
  recipient: z.looseObject({ name: z.string() }).optional(),
  references: z.looseObject({ other: z.string().optional() }).optional(),
  notes: z.looseObject({ heading: z.string().optional() }).optional(),
  project: numberRef("projectNumber").optional(),
  lines: z.array(invoiceLineSchema).optional(),
  pdf: z.looseObject({ download: z.string() }).optional(),
  self: z.string().optional(),
};

export const draftInvoiceSchema = z.looseObject({
  draftInvoiceNumber: z.number().int(),
  ...invoiceCommon,
  lastUpdated: z.string().optional(),
});
export type EconomicDraftInvoice = z.infer<typeof draftInvoiceSchema>;

export const bookedInvoiceSchema = z.looseObject({
  bookedInvoiceNumber: z.number().int(),
  ...invoiceCommon,
  remainder: z.number().optional(),
});
export type EconomicBookedInvoice = z.infer<typeof bookedInvoiceSchema>;

export const bookInvoiceInputSchema = z.object({
  draftInvoiceNumber: z.number().int(),
  bookWithNumber: z.number().int().min(1).optional(),
  sendBy: z.enum(["none", "ean"]).optional(),
});
export type EconomicBookInvoiceInput = z.input<typeof bookInvoiceInputSchema>;
