import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// Columns are snake_case in the database behind camelCase keys (drizzle `casing: "snake_case"`).

export const roleEnum = pgEnum("role", ["admin", "viewer"]);
export const localeEnum = pgEnum("locale", ["da", "en"]);

export const companies = pgTable("companies", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type Company = typeof companies.$inferSelect;

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stored lower-cased and trimmed; unique across the whole service. */
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    locale: localeEnum().notNull().default("da"),
    /** Bumped by sign-out and password change: sessions carrying an older version are void. */
    sessionVersion: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);
export type User = typeof users.$inferSelect;

/** A user belongs to exactly one company (unique user_id). */
export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("memberships_user_key").on(t.userId), index("memberships_company_idx").on(t.companyId)],
);
export type Membership = typeof memberships.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];

/**
 * Failed sign-ins per key ("email:<addr>" or "ip:<addr>"), shared by every app instance through the
 * database, so the back-off holds however many servers run.
 */
export const loginThrottles = pgTable("login_throttles", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  lastFailureAt: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
  lockedUntil: timestamp({ withTimezone: true }),
});

// ---------------------------------------------------------------------------------------------
// Connections to Rackbeat and e-conomic: one row per company. Secrets are encrypted at rest
// (lib/crypto/secrets.ts); only a hint (last characters) is ever shown back.

export const companyIntegrations = pgTable(
  "company_integrations",
  {
    companyId: uuid()
      .primaryKey()
      .references(() => companies.id, { onDelete: "cascade" }),
    economicGrantTokenEnc: text(),
    economicGrantTokenHint: text(),
    economicAgreementNumber: integer(),
    economicCompanyName: text(),
    rackbeatApiKeyEnc: text(),
    rackbeatApiKeyHint: text(),
    /** From Rackbeat's GET /self; webhooks name it in Rackbeat-Account-Id. */
    rackbeatAccountId: text(),
    rackbeatAccountName: text(),
    rackbeatWebhookId: text(),
    /** SHA-256 (hex) of the webhook token Rackbeat returned once at registration. */
    rackbeatWebhookTokenHash: text(),
    /** The event names registered for this company; only these are accepted by the intake. */
    rackbeatWebhookEvents: text().array().notNull().default(sql`'{}'::text[]`),
    /** The name of Rackbeat's "invoice booked" event (unconfirmed, so a setting): registered as is. */
    rackbeatInvoiceEvent: text().notNull().default("invoice.booked"),
    /**
     * Rackbeat's names of the master-data events (lib/sync/record-key.ts, RecordEventNames); null or
     * a missing name means the default `entity.action` name.
     */
    rackbeatRecordEvents: jsonb().$type<Record<string, string>>(),
    /**
     * The master-data webhooks registered while the debitor integration is on: one per event, each
     * with its own token (Rackbeat returns a token per webhook), stored as SHA-256 hex only.
     */
    rackbeatRecordWebhooks: jsonb()
      .$type<{ event: string; webhookId: string; tokenHash: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The e-conomic customer group of a Rackbeat customer that names none. */
    defaultCustomerGroupNumber: integer(),
    defaultLayoutNumber: integer(),
    defaultPaymentTermsNumber: integer(),
    senderEmail: text(),
    activated: boolean().notNull().default(false),
    activatedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("company_integrations_rackbeat_account_key")
      .on(t.rackbeatAccountId)
      .where(sql`${t.rackbeatAccountId} is not null`),
  ],
);
export type CompanyIntegration = typeof companyIntegrations.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Kundefaktura settings: the current values with a version (optimistic locking) and the history.

export const companySettings = pgTable("company_settings", {
  companyId: uuid()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  /** Incremented by every save; a save names the version it edited and is refused if it moved on. */
  version: integer().notNull().default(0),
  /** CustomerInvoiceSettings (lib/settings/schema.ts), validated on every read and write. */
  values: jsonb().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
});

export const settingsChanges = pgTable(
  "settings_changes",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    userName: text(),
    key: text().notNull(),
    oldValue: jsonb(),
    newValue: jsonb(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("settings_changes_company_idx").on(t.companyId, t.changedAt.desc())],
);

// ---------------------------------------------------------------------------------------------
// Transfers: one row per (company, Rackbeat invoice) is the unit of work of the durable queue and
// what the review page reads. Data flows one way: webhook → transfer → worker → e-conomic → transfer.

/** How a transfer came to be: Rackbeat's webhook, the reconciliation sweep, a backfill, or by hand. */
export const transferSources = ["webhook", "sweep", "backfill", "manual", "first_sync"] as const;
export type TransferSource = (typeof transferSources)[number];

export const transferStatusEnum = pgEnum("transfer_status", [
  "queued",
  "processing",
  "draft",
  "booked",
  "failed",
  "skipped",
]);
export type TransferStatus = (typeof transferStatusEnum.enumValues)[number];

export const transfers = pgTable(
  "transfers",
  {
    id: uuid().primaryKey().defaultRandom(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    /**
     * For kind "invoice" the Rackbeat invoice number; for master-data syncs the record key
     * `<kind>:<number>` (lib/sync/record-key.ts), so a customer number never meets an invoice number
     * in the unique index, the sweep or the backfill.
     */
    rackbeatInvoiceNumber: text().notNull(),
    /** SyncKind: "invoice", "customer", "customer_group" or "product_group" (lib/sync/record-key.ts). */
    kind: text().notNull().default("invoice"),
    /**
     * A master-data record changed in Rackbeat while its sync was processing: when that attempt
     * completes the row is queued again (the next sync fetches the latest state).
     */
    resyncRequested: boolean().notNull().default(false),
    status: transferStatusEnum().notNull().default("queued"),
    /** TransferSource: how the invoice arrived (the first way that found it). */
    source: text().notNull().default("webhook"),
    /** The backfill that queued (or re-queued) it, for that backfill's progress. */
    backfillId: uuid(),
    /** Attempts started so far. */
    attempts: integer().notNull().default(0),
    /** `attempts` when an admin last retried by hand: automatic retries give up counting from here. */
    retryBaseAttempts: integer().notNull().default(0),
    /** When a queued or retrying transfer may be claimed; null once nothing more is scheduled. */
    nextAttemptAt: timestamp({ withTimezone: true }).defaultNow(),
    /** The worker holding the transfer, until the lease expires (a dead worker's lease runs out). */
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    /** Why it failed or was skipped: {code, params, fields?}; texts are rendered in the reader's language. */
    lastError: jsonb(),
    skipReason: text(),
    /** The Rackbeat invoice as fetched (with customer, lines, order, project). */
    invoice: jsonb(),
    /** The plan computed from invoice + settings + known master data. */
    plan: jsonb(),
    /** What e-conomic has already committed for this transfer, so a retry continues where it stopped. */
    checkpoint: jsonb().notNull().default(sql`'{}'::jsonb`),
    economicDraftNumber: integer(),
    economicBookedNumber: integer(),
    sentBy: text(),
    /** The order number: the transfer's external ID, shown and searchable on the review page. */
    orderNumber: text(),
    customerNumber: text(),
    customerName: text(),
    invoiceDate: date(),
    currency: text(),
    /** Rackbeat's net subtotal, VAT and total, and e-conomic's net, VAT and gross, as exact decimals. */
    netAmount: numeric({ precision: 18, scale: 2 }),
    vatAmount: numeric({ precision: 18, scale: 2 }),
    grossAmount: numeric({ precision: 18, scale: 2 }),
    economicNetAmount: numeric({ precision: 18, scale: 2 }),
    economicVatAmount: numeric({ precision: 18, scale: 2 }),
    economicGrossAmount: numeric({ precision: 18, scale: 2 }),
    /** Net, VAT or gross in e-conomic differs from Rackbeat's. */
    amountMismatch: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Idempotency: a repeated webhook delivery finds this row instead of creating another.
    uniqueIndex("transfers_company_invoice_key").on(t.companyId, t.rackbeatInvoiceNumber),
    // The workers' claim (db/migrations/0004_claim_transfers.sql): a skip-scan over the companies with due
    // work, one index seek per company to its oldest due transfer, then its due transfers in order —
    // never every due row. (It replaces transfers_due_idx, one index over all companies' due rows,
    // which the planner preferred for a company's transfers and then filtered by company.)
    index("transfers_company_due_idx")
      .on(t.companyId, t.nextAttemptAt)
      .where(sql`${t.status} in ('queued', 'failed', 'processing') and ${t.nextAttemptAt} is not null`),
    // The claim's count of a company's transfers in flight.
    index("transfers_company_processing_idx").on(t.companyId).where(sql`${t.status} = 'processing'`),
    // The review page: newest first per company, keyset-paginated.
    index("transfers_company_created_idx").on(t.companyId, t.createdAt.desc(), t.id.desc()),
    // The review page filtered by status (also serves the capped counts per status).
    index("transfers_company_status_created_idx").on(t.companyId, t.status, t.createdAt.desc(), t.id.desc()),
    // The review search: exact order number / customer number, newest first within the match.
    index("transfers_company_order_idx")
      .on(t.companyId, t.orderNumber, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.orderNumber} is not null`),
    index("transfers_company_customer_idx")
      .on(t.companyId, t.customerNumber, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.customerNumber} is not null`),
    // The review search by customer filtered by status: one seek per (customer, status), not a walk
    // through a big customer's other statuses.
    index("transfers_company_customer_status_idx")
      .on(t.companyId, t.customerNumber, t.status, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.customerNumber} is not null`),
    // The review page's Stamdata view and the invoice list: one kind per company, newest first.
    index("transfers_company_kind_created_idx").on(t.companyId, t.kind, t.createdAt.desc(), t.id.desc()),
    // A backfill's progress bar: its transfers counted by status.
    index("transfers_backfill_idx").on(t.backfillId, t.status).where(sql`${t.backfillId} is not null`),
  ],
);
export type Transfer = typeof transfers.$inferSelect;

/**
 * Every (customer number, name) seen on a company's transfers (written by recordInvoice before the
 * transfer's own columns). The review search by a fragment of a name looks here, in a few thousand
 * rows per company, instead of in the company's transfers, then reads the transfers by customer
 * number. Old names stay, so a renamed customer is found by either.
 */
export const transferCustomers = pgTable(
  "transfer_customers",
  {
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    customerNumber: text().notNull(),
    customerName: text().notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.customerNumber, t.customerName] }),
    // pg_trgm + btree_gin (created by db/client.ts); company_id in the index so a small company's
    // search does not walk the trigram postings of a large one.
    index("transfer_customers_name_trgm_idx").using(
      "gin",
      t.companyId,
      sql`lower(${t.customerName}) gin_trgm_ops`,
    ),
  ],
);

/** Every webhook delivery received, as received (headers without the token, body, time). */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    transferId: uuid().references(() => transfers.id, { onDelete: "set null" }),
    event: text().notNull(),
    key: text().notNull(),
    headers: jsonb().notNull(),
    body: jsonb().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_events_transfer_idx").on(t.transferId)],
);

/** One row per attempt of a transfer: when, by whom, how it ended. */
export const transferAttempts = pgTable(
  "transfer_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    transferId: uuid()
      .notNull()
      .references(() => transfers.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    worker: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    outcome: text(),
    error: jsonb(),
  },
  (t) => [index("transfer_attempts_transfer_idx").on(t.transferId, t.attempt)],
);

/** The e-conomic calls a transfer made (tokens and personal data never stored). */
export const economicCalls = pgTable(
  "economic_calls",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    transferId: uuid()
      .notNull()
      .references(() => transfers.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    method: text().notNull(),
    path: text().notNull(),
    status: integer(),
    durationMs: integer().notNull(),
    error: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("economic_calls_transfer_idx").on(t.transferId, t.id)],
);

/**
 * Master data known to exist in a company's e-conomic agreement, so repeat invoices skip look-ups.
 * Kept per agreement: a company that connects another agreement starts with an empty cache.
 */
export const economicKnown = pgTable(
  "economic_known",
  {
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    /** The e-conomic agreement number ("unknown" when not known). Rows from before it was kept have "". */
    agreement: text().notNull().default(""),
    /** customerGroup | customer | customerContact | productGroup | product | paymentTerms | primed */
    kind: text().notNull(),
    key: text().notNull(),
    /** For customers: the synced fields as last written, to detect changes in Rackbeat. */
    data: jsonb(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.agreement, t.kind, t.key] })],
);

/**
 * Which transfer owns an e-conomic draft invoice. The primary key makes adoption exclusive: of two
 * identical invoices that both lost their draft's answer, only one can claim a given draft.
 */
export const economicDraftClaims = pgTable(
  "economic_draft_claims",
  {
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    agreement: text().notNull(),
    draftNumber: integer().notNull(),
    transferId: uuid()
      .notNull()
      .references(() => transfers.id, { onDelete: "cascade" }),
    claimedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.agreement, t.draftNumber] })],
);

/** Invoice e-mails: sent through SMTP, or kept here in sandbox mode without SMTP_URL. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    transferId: uuid().references(() => transfers.id, { onDelete: "set null" }),
    fromAddress: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    attachmentName: text(),
    attachment: text(),
    /** "sent" through SMTP (with the message id) or "outbox" when kept locally. */
    delivery: text().notNull(),
    messageId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mail_outbox_transfer_idx").on(t.transferId)],
);

// ---------------------------------------------------------------------------------------------
// Reconciliation against Rackbeat's list of booked invoices (lib/reconcile).

/**
 * One row per company: the sweep's watermark (Rackbeat's booking time of the newest invoice seen),
 * its lease (one sweep per company at a time across every instance) and what the last run found.
 */
export const rackbeatSweeps = pgTable("rackbeat_sweeps", {
  companyId: uuid()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  watermark: timestamp({ withTimezone: true }),
  leaseOwner: text(),
  leaseExpiresAt: timestamp({ withTimezone: true }),
  nextRunAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastStartedAt: timestamp({ withTimezone: true }),
  lastFinishedAt: timestamp({ withTimezone: true }),
  lastListed: integer().notNull().default(0),
  lastQueued: integer().notNull().default(0),
  lastError: text(),
});
export type RackbeatSweep = typeof rackbeatSweeps.$inferSelect;

export const backfillStatusEnum = pgEnum("backfill_status", ["running", "done", "cancelled", "failed"]);
export type BackfillStatus = (typeof backfillStatusEnum.enumValues)[number];

/**
 * "Overfør fakturaer bogført siden [dato]": a resumable walk over Rackbeat's booked invoices, one
 * page per step with its position stored, so a restart continues where it stopped.
 */
export const backfills = pgTable(
  "backfills",
  {
    id: uuid().primaryKey().defaultRandom(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    since: date({ mode: "string" }).notNull(),
    status: backfillStatusEnum().notNull().default("running"),
    /** The next page of Rackbeat's list to read (1-based). */
    nextPage: integer().notNull().default(1),
    /** Booked invoices on or after `since` seen so far, and those this backfill queued. */
    found: integer().notNull().default(0),
    queued: integer().notNull().default(0),
    /** The preview's count, shown until the walk is done. */
    expected: integer().notNull().default(0),
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    error: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One running backfill per company.
    uniqueIndex("backfills_company_running_key").on(t.companyId).where(sql`${t.status} = 'running'`),
    index("backfills_company_created_idx").on(t.companyId, t.createdAt.desc()),
  ],
);
export type Backfill = typeof backfills.$inferSelect;

/**
 * "Synkronisér kunder og grupper nu" (and the first sync at activation): a resumable walk over
 * Rackbeat's customer groups, product groups and customers, one page per step with its cursor
 * (`list`, `nextPage`) stored, so a restart continues where it stopped (lib/sync/first-sync.ts).
 * Each page's records are queued as syncs on the transfers queue; the status values and the lease
 * are the backfill's.
 */
export const recordFirstSyncs = pgTable(
  "record_first_syncs",
  {
    id: uuid().primaryKey().defaultRandom(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    status: backfillStatusEnum().notNull().default("running"),
    /** The list being walked: "customer_groups", then "product_groups", then "customers". */
    list: text().notNull().default("customer_groups"),
    /** The next page of that list to read (1-based). */
    nextPage: integer().notNull().default(1),
    /** Records seen in Rackbeat's lists so far, and sync rows this walk queued. */
    found: integer().notNull().default(0),
    queued: integer().notNull().default(0),
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    error: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One running first sync per company (a second click finds the running one).
    uniqueIndex("record_first_syncs_company_running_key").on(t.companyId).where(sql`${t.status} = 'running'`),
    index("record_first_syncs_company_created_idx").on(t.companyId, t.createdAt.desc()),
  ],
);
export type RecordFirstSync = typeof recordFirstSyncs.$inferSelect;
