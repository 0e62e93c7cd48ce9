import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// The e-conomic sandbox keeps its state apart from the product's tables, in a schema of its own.
export const economicSandbox = pgSchema("economic_sandbox");

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One row per agreement (company); the counters live here so numbering is allocated under its row lock. */
export const agreements = economicSandbox.table("agreements", {
  agreementNumber: integer().primaryKey().generatedAlwaysAsIdentity({ startWith: 900001 }),
  grantToken: text().notNull().unique(),
  companyName: text().notNull(),
  cvr: text(),
  nextDraftNumber: integer().notNull().default(1),
  nextBookedNumber: integer().notNull().default(1),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type AgreementRow = typeof agreements.$inferSelect;

/**
 * Every e-conomic object as a JSON document, keyed by (agreement, kind, key). One generic table keeps
 * filtering and pagination in one place: the filter language compiles to jsonb path expressions.
 */
export const documents = economicSandbox.table(
  "documents",
  {
    agreementNumber: integer()
      .notNull()
      .references(() => agreements.agreementNumber, { onDelete: "cascade" }),
    kind: text().notNull(),
    key: text().notNull(),
    /** Numeric id for ordering (customer number, invoice number, ...); null for text-keyed kinds. */
    sortNumber: bigint({ mode: "number" }),
    /** The owning object's key, for sub-collections (a contact's customer number). */
    parentKey: text(),
    data: jsonb().$type<JsonObject>().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.agreementNumber, t.kind, t.key] }),
    index("documents_order_idx").on(t.agreementNumber, t.kind, t.sortNumber, t.key),
    index("documents_parent_idx")
      .on(t.agreementNumber, t.kind, t.parentKey)
      .where(sql`parent_key is not null`),
  ],
);
export type DocumentRow = typeof documents.$inferSelect;

/** The fault plan of an agreement: a tiny row read with the agreement on every request. */
export const faultPlans = economicSandbox.table("fault_plans", {
  agreementNumber: integer()
    .primaryKey()
    .references(() => agreements.agreementNumber, { onDelete: "cascade" }),
  rules: jsonb().$type<JsonValue[]>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
