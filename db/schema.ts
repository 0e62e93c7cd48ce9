import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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
