import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** The Rackbeat sandbox's own schema: nothing here is product data. */
export const rackbeatSandbox = pgSchema("rackbeat_sandbox");

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};

export const rbAccounts = rackbeatSandbox.table(
  "accounts",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    apiKey: text().notNull(),
    /** Next customer-invoice number handed out when a create leaves it out. */
    nextInvoiceNumber: integer().notNull().default(1001),
    /** Fault: the share (0..1) of webhook deliveries dropped for good (never sent, never retried). */
    dropWebhooks: doublePrecision().notNull().default(0),
    /** Answer invoices and customers in the minimal shape of Rackbeat's public SDK models. */
    minimalShapes: boolean().notNull().default(false),
    /** The event name booking an invoice fires (the real name is unconfirmed). */
    invoiceEvent: text().notNull().default("invoice.booked"),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_accounts_api_key_key").on(t.apiKey)],
);
export type RbAccount = typeof rbAccounts.$inferSelect;

export const rbPaymentTerms = rackbeatSandbox.table(
  "payment_terms",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    name: text().notNull(),
    days: integer().notNull(),
    type: text().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_payment_terms_number_key").on(t.accountId, t.number)],
);
export type RbPaymentTerm = typeof rbPaymentTerms.$inferSelect;

export const rbCustomerGroups = rackbeatSandbox.table(
  "customer_groups",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    name: text().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_customer_groups_number_key").on(t.accountId, t.number)],
);
export type RbCustomerGroup = typeof rbCustomerGroups.$inferSelect;

export const rbCustomers = rackbeatSandbox.table(
  "customers",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    companyName: text().notNull(),
    companyVat: text(),
    ean: text(),
    theirReference: text(),
    addressStreet: text(),
    addressCity: text(),
    addressZipcode: text(),
    addressCountry: text(),
    contactEmail: text(),
    paymentTermsNumber: integer(),
    groupNumber: integer().notNull(),
    vatZone: integer().notNull().default(1),
    currency: text().notNull().default("DKK"),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_customers_number_key").on(t.accountId, t.number)],
);
export type RbCustomer = typeof rbCustomers.$inferSelect;

export const rbProductGroups = rackbeatSandbox.table(
  "product_groups",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    name: text().notNull(),
    /** VAT percentages per VAT zone (our reading; Rackbeat does not document these fields' type). */
    vatDomestic: numeric({ precision: 5, scale: 2 }).notNull().default("25"),
    vatEu: numeric({ precision: 5, scale: 2 }).notNull().default("0"),
    vatAbroad: numeric({ precision: 5, scale: 2 }).notNull().default("0"),
    vatDomesticExempt: numeric({ precision: 5, scale: 2 }).notNull().default("0"),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_product_groups_number_key").on(t.accountId, t.number)],
);
export type RbProductGroup = typeof rbProductGroups.$inferSelect;

export const rbProducts = rackbeatSandbox.table(
  "products",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    /** Item numbers are free text: dashes, slashes and spaces occur. */
    number: text().notNull(),
    name: text().notNull(),
    groupNumber: integer().notNull(),
    salesPrice: numeric({ precision: 20, scale: 6 }).notNull().default("0"),
    unit: text().notNull().default("stk"),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_products_number_key").on(t.accountId, t.number)],
);
export type RbProduct = typeof rbProducts.$inferSelect;

export const rbProjects = rackbeatSandbox.table(
  "projects",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    number: text().notNull(),
    name: text().notNull(),
    customerNumber: integer(),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_projects_number_key").on(t.accountId, t.number)],
);
export type RbProject = typeof rbProjects.$inferSelect;

export const rbOrders = rackbeatSandbox.table(
  "orders",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    number: text().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_orders_number_key").on(t.accountId, t.number)],
);

export const rbCustomerInvoices = rackbeatSandbox.table(
  "customer_invoices",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    number: text().notNull(),
    customerNumber: integer().notNull(),
    orderId: integer(),
    orderNumber: text(),
    projectNumber: text(),
    currency: text().notNull(),
    currencyRate: numeric({ precision: 20, scale: 6 }).notNull(),
    date: date({ mode: "string" }).notNull(),
    dueDate: date({ mode: "string" }).notNull(),
    heading: text(),
    note: text(),
    isBooked: boolean().notNull().default(false),
    bookedAt: timestamp({ withTimezone: true }),
    totalSubtotal: numeric({ precision: 20, scale: 2 }).notNull(),
    totalVat: numeric({ precision: 20, scale: 2 }).notNull(),
    totalTotal: numeric({ precision: 20, scale: 2 }).notNull(),
    addressName: text(),
    addressStreet: text(),
    addressCity: text(),
    addressZipcode: text(),
    addressCountry: text(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("rb_customer_invoices_number_key").on(t.accountId, t.number),
    // The booked list by booking time (what a reconciliation sweep asks for).
    index("rb_customer_invoices_booked_idx")
      .on(t.accountId, t.bookedAt.desc(), t.id.desc())
      .where(sql`is_booked`),
  ],
);
export type RbCustomerInvoice = typeof rbCustomerInvoices.$inferSelect;

export const rbCustomerInvoiceLines = rackbeatSandbox.table(
  "customer_invoice_lines",
  {
    id: serial().primaryKey(),
    invoiceId: integer()
      .notNull()
      .references(() => rbCustomerInvoices.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    childId: text().notNull(),
    childType: text().notNull(),
    name: text().notNull(),
    quantity: numeric({ precision: 20, scale: 6 }).notNull(),
    linePrice: numeric({ precision: 20, scale: 6 }).notNull(),
    discountPercentage: numeric({ precision: 9, scale: 4 }).notNull(),
    vatPercentage: numeric({ precision: 5, scale: 2 }).notNull(),
  },
  (t) => [index("rb_customer_invoice_lines_invoice_idx").on(t.invoiceId, t.position)],
);
export type RbCustomerInvoiceLine = typeof rbCustomerInvoiceLines.$inferSelect;

export const rbWebhooks = rackbeatSandbox.table(
  "webhooks",
  {
    id: serial().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    event: text().notNull(),
    url: text().notNull(),
    token: text().notNull(),
    isActive: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex("rb_webhooks_event_url_key").on(t.accountId, t.event, t.url)],
);
export type RbWebhook = typeof rbWebhooks.$inferSelect;

/** One row per webhook call owed; the exact request is kept so a redelivery is byte-identical. */
export const rbWebhookDeliveries = rackbeatSandbox.table(
  "webhook_deliveries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => rbAccounts.id, { onDelete: "cascade" }),
    webhookId: integer(),
    event: text().notNull(),
    key: text().notNull(),
    url: text().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull(),
    body: text().notNull(),
    /** pending | delivered | failed */
    status: text().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    responseStatus: integer(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index("rb_webhook_deliveries_account_idx").on(t.accountId, t.id),
    index("rb_webhook_deliveries_pending_idx").on(t.status).where(sql`status = 'pending'`),
  ],
);
export type RbWebhookDelivery = typeof rbWebhookDeliveries.$inferSelect;

export const rbWebhookDeliveryAttempts = rackbeatSandbox.table(
  "webhook_delivery_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deliveryId: bigint({ mode: "number" })
      .notNull()
      .references(() => rbWebhookDeliveries.id, { onDelete: "cascade" }),
    responseStatus: integer(),
    error: text(),
    durationMs: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("rb_webhook_delivery_attempts_delivery_idx").on(t.deliveryId)],
);
