import { and, asc, eq, max } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { decimalText, toJsonNumber } from "./decimal";
import { invalidField, notFound, type Page, parseBody } from "./http";
import {
  type RbCustomer,
  type RbCustomerGroup,
  type RbPaymentTerm,
  type RbProduct,
  type RbProductGroup,
  type RbProject,
  rbCustomerGroups,
  rbCustomers,
  rbPaymentTerms,
  rbProductGroups,
  rbProducts,
  rbProjects,
} from "./schema";

// Master data of one account: customer groups, customers, product groups, products, projects and
// payment terms. Create bodies use the field names of the objects read back (Rackbeat's convention).

/** A decimal in a body: a JSON number or a numeric string, with at most `places` decimals. */
export const decimalInput = (places: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    try {
      const text = decimalText(value);
      const dot = text.indexOf(".");
      if (dot >= 0 && text.length - dot - 1 > places) {
        ctx.addIssue({ code: "custom", message: `The value may have at most ${places} decimals.` });
        return z.NEVER;
      }
      return text;
    } catch {
      ctx.addIssue({ code: "custom", message: "The value must be a number." });
      return z.NEVER;
    }
  });

const ref = <T extends z.ZodType>(number: T) => z.looseObject({ number });
const optionalText = z.string().max(255).nullish();
const iso = (d: Date) => d.toISOString();

/** The next free integer number of a table (max + 1), for creates that leave the number out. */
async function nextNumber(
  db: Db,
  table: PgTable,
  columns: { number: PgColumn; accountId: PgColumn },
  accountId: number,
): Promise<number> {
  const [row] = await db
    .select({ n: max(columns.number) })
    .from(table)
    .where(eq(columns.accountId, accountId));
  return Number(row?.n ?? 0) + 1;
}

/** Runs an insert; a duplicate key becomes Laravel's "has already been taken" 422. */
async function insertUnique<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw invalidField(field, `The ${field} has already been taken.`);
    throw error;
  }
}

// ---- payment terms

export function serializePaymentTerm(t: RbPaymentTerm) {
  return { number: t.number, name: t.name, days: t.days, type: t.type };
}

export async function findPaymentTerm(db: Db, accountId: number, number: number) {
  const [row] = await db
    .select()
    .from(rbPaymentTerms)
    .where(and(eq(rbPaymentTerms.accountId, accountId), eq(rbPaymentTerms.number, number)));
  return row;
}

export async function listPaymentTerms(db: Db, accountId: number, page: Page) {
  const where = eq(rbPaymentTerms.accountId, accountId);
  const rows = await db
    .select()
    .from(rbPaymentTerms)
    .where(where)
    .orderBy(asc(rbPaymentTerms.number))
    .limit(page.limit)
    .offset(page.offset);
  return { items: rows.map(serializePaymentTerm), total: await db.$count(rbPaymentTerms, where) };
}

// ---- customer groups

export function serializeCustomerGroup(g: RbCustomerGroup) {
  return { number: g.number, name: g.name, created_at: iso(g.createdAt), updated_at: iso(g.updatedAt) };
}

export const customerGroupInput = z.looseObject({
  number: z.number().int().positive().max(999_999_999).optional(),
  name: z.string().trim().min(1, { error: "The name field is required." }).max(255),
});

export async function createCustomerGroup(db: Db, accountId: number, body: unknown) {
  const input = parseBody(customerGroupInput, body);
  const number = input.number ?? (await nextNumber(db, rbCustomerGroups, rbCustomerGroups, accountId));
  const [row] = await insertUnique("number", () =>
    db.insert(rbCustomerGroups).values({ accountId, number, name: input.name }).returning(),
  );
  return serializeCustomerGroup(row!);
}

export async function findCustomerGroup(db: Db, accountId: number, number: number) {
  const [row] = await db
    .select()
    .from(rbCustomerGroups)
    .where(and(eq(rbCustomerGroups.accountId, accountId), eq(rbCustomerGroups.number, number)));
  return row;
}

export async function getCustomerGroup(db: Db, accountId: number, number: number) {
  const row = await findCustomerGroup(db, accountId, number);
  if (!row) throw notFound("Customer group");
  return serializeCustomerGroup(row);
}

export async function listCustomerGroups(db: Db, accountId: number, page: Page) {
  const where = eq(rbCustomerGroups.accountId, accountId);
  const rows = await db
    .select()
    .from(rbCustomerGroups)
    .where(where)
    .orderBy(asc(rbCustomerGroups.number))
    .limit(page.limit)
    .offset(page.offset);
  return { items: rows.map(serializeCustomerGroup), total: await db.$count(rbCustomerGroups, where) };
}

// ---- customers

export function serializeCustomer(
  c: RbCustomer,
  group: RbCustomerGroup | undefined,
  terms: RbPaymentTerm | undefined,
) {
  return {
    number: c.number,
    company_name: c.companyName,
    company_vat: c.companyVat,
    ean: c.ean,
    their_reference: c.theirReference,
    address_street: c.addressStreet,
    address_city: c.addressCity,
    address_zipcode: c.addressZipcode,
    address_country: c.addressCountry,
    contact_email: c.contactEmail,
    payment_terms: terms ? serializePaymentTerm(terms) : null,
    group: group ? { number: group.number, name: group.name } : { number: c.groupNumber, name: null },
    vat_zone: c.vatZone,
    currency: c.currency,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
  };
}
export type SandboxCustomer = ReturnType<typeof serializeCustomer>;

export const customerInput = z.looseObject({
  number: z
    .number()
    .int()
    .positive()
    .max(999_999_999, { error: "The number may not have more than 9 digits." })
    .optional(),
  company_name: z.string().trim().min(1, { error: "The company name field is required." }).max(255),
  company_vat: optionalText,
  ean: z
    .string()
    .regex(/^\d{13}$/, { error: "The ean must be 13 digits." })
    .nullish(),
  their_reference: optionalText,
  address_street: optionalText,
  address_city: optionalText,
  address_zipcode: optionalText,
  address_country: optionalText,
  contact_email: z.email({ error: "The contact email must be a valid email address." }).nullish(),
  payment_terms: ref(z.number().int()).nullish(),
  group: ref(z.number().int()),
  vat_zone: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
      error: "The selected vat zone is invalid.",
    })
    .default(1),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: "The currency must be a 3-letter ISO code." })
    .default("DKK"),
});

export async function createCustomer(db: Db, accountId: number, body: unknown) {
  const input = parseBody(customerInput, body);
  const group = await findCustomerGroup(db, accountId, input.group.number);
  if (!group) throw invalidField("group.number", "The selected group number is invalid.");
  const terms = input.payment_terms
    ? await findPaymentTerm(db, accountId, input.payment_terms.number)
    : undefined;
  if (input.payment_terms && !terms)
    throw invalidField("payment_terms.number", "The selected payment terms number is invalid.");
  const number = input.number ?? (await nextNumber(db, rbCustomers, rbCustomers, accountId));
  const [row] = await insertUnique("number", () =>
    db
      .insert(rbCustomers)
      .values({
        accountId,
        number,
        companyName: input.company_name,
        companyVat: input.company_vat ?? null,
        ean: input.ean ?? null,
        theirReference: input.their_reference ?? null,
        addressStreet: input.address_street ?? null,
        addressCity: input.address_city ?? null,
        addressZipcode: input.address_zipcode ?? null,
        addressCountry: input.address_country ?? null,
        contactEmail: input.contact_email ?? null,
        paymentTermsNumber: terms?.number ?? null,
        groupNumber: group.number,
        vatZone: input.vat_zone,
        currency: input.currency,
      })
      .returning(),
  );
  return serializeCustomer(row!, group, terms);
}

export async function findCustomer(db: Db, accountId: number, number: number) {
  const [row] = await db
    .select()
    .from(rbCustomers)
    .where(and(eq(rbCustomers.accountId, accountId), eq(rbCustomers.number, number)));
  return row;
}

/** Customers serialized with their group and payment terms (few per account: loaded whole). */
export async function serializeCustomers(db: Db, accountId: number, rows: RbCustomer[]) {
  if (rows.length === 0) return [];
  const [groups, terms] = await Promise.all([
    db.select().from(rbCustomerGroups).where(eq(rbCustomerGroups.accountId, accountId)),
    db.select().from(rbPaymentTerms).where(eq(rbPaymentTerms.accountId, accountId)),
  ]);
  return rows.map((c) =>
    serializeCustomer(
      c,
      groups.find((g) => g.number === c.groupNumber),
      terms.find((t) => t.number === c.paymentTermsNumber),
    ),
  );
}

export async function getCustomer(db: Db, accountId: number, number: number) {
  const row = await findCustomer(db, accountId, number);
  if (!row) throw notFound("Customer");
  const [customer] = await serializeCustomers(db, accountId, [row]);
  return customer!;
}

export async function listCustomers(db: Db, accountId: number, page: Page) {
  const where = eq(rbCustomers.accountId, accountId);
  const rows = await db
    .select()
    .from(rbCustomers)
    .where(where)
    .orderBy(asc(rbCustomers.number))
    .limit(page.limit)
    .offset(page.offset);
  return { items: await serializeCustomers(db, accountId, rows), total: await db.$count(rbCustomers, where) };
}

// ---- product groups

export function serializeProductGroup(g: RbProductGroup) {
  return {
    number: g.number,
    name: g.name,
    vat_domestic: toJsonNumber(g.vatDomestic),
    vat_eu: toJsonNumber(g.vatEu),
    vat_abroad: toJsonNumber(g.vatAbroad),
    vat_domestic_exempt: toJsonNumber(g.vatDomesticExempt),
    created_at: iso(g.createdAt),
    updated_at: iso(g.updatedAt),
  };
}

const vatInput = decimalInput(2).refine((v) => Number(v) >= 0 && Number(v) <= 100, {
  error: "The VAT percentage must be between 0 and 100.",
});

const productGroupInput = z.looseObject({
  number: z.number().int().positive().max(999_999_999).optional(),
  name: z.string().trim().min(1, { error: "The name field is required." }).max(255),
  vat_domestic: vatInput.optional(),
  vat_eu: vatInput.optional(),
  vat_abroad: vatInput.optional(),
  vat_domestic_exempt: vatInput.optional(),
});

export async function createProductGroup(db: Db, accountId: number, body: unknown) {
  const input = parseBody(productGroupInput, body);
  const number = input.number ?? (await nextNumber(db, rbProductGroups, rbProductGroups, accountId));
  const [row] = await insertUnique("number", () =>
    db
      .insert(rbProductGroups)
      .values({
        accountId,
        number,
        name: input.name,
        vatDomestic: input.vat_domestic,
        vatEu: input.vat_eu,
        vatAbroad: input.vat_abroad,
        vatDomesticExempt: input.vat_domestic_exempt,
      })
      .returning(),
  );
  return serializeProductGroup(row!);
}

export async function findProductGroup(db: Db, accountId: number, number: number) {
  const [row] = await db
    .select()
    .from(rbProductGroups)
    .where(and(eq(rbProductGroups.accountId, accountId), eq(rbProductGroups.number, number)));
  return row;
}

export async function getProductGroup(db: Db, accountId: number, number: number) {
  const row = await findProductGroup(db, accountId, number);
  if (!row) throw notFound("Product group");
  return serializeProductGroup(row);
}

export async function listProductGroups(db: Db, accountId: number, page: Page) {
  const where = eq(rbProductGroups.accountId, accountId);
  const rows = await db
    .select()
    .from(rbProductGroups)
    .where(where)
    .orderBy(asc(rbProductGroups.number))
    .limit(page.limit)
    .offset(page.offset);
  return { items: rows.map(serializeProductGroup), total: await db.$count(rbProductGroups, where) };
}

/** The VAT percentage of a product group for a customer's VAT zone (1 domestic … 4 domestic exempt). */
export function vatForZone(group: RbProductGroup, vatZone: number): string {
  switch (vatZone) {
    case 2:
      return group.vatEu;
    case 3:
      return group.vatAbroad;
    case 4:
      return group.vatDomesticExempt;
    default:
      return group.vatDomestic;
  }
}

// ---- products

export function serializeProduct(p: RbProduct, group: RbProductGroup | undefined) {
  return {
    number: p.number,
    name: p.name,
    group: { number: p.groupNumber, name: group?.name ?? null },
    sales_price: toJsonNumber(p.salesPrice),
    unit: p.unit,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

const productInput = z.looseObject({
  number: z.string().trim().min(1, { error: "The number field is required." }).max(255),
  name: z.string().trim().min(1, { error: "The name field is required." }).max(255),
  group: ref(z.number().int()),
  sales_price: decimalInput(6).default("0"),
  unit: z.string().trim().min(1).max(50).default("stk"),
});

export async function createProduct(db: Db, accountId: number, body: unknown) {
  const input = parseBody(productInput, body);
  const group = await findProductGroup(db, accountId, input.group.number);
  if (!group) throw invalidField("group.number", "The selected group number is invalid.");
  const [row] = await insertUnique("number", () =>
    db
      .insert(rbProducts)
      .values({
        accountId,
        number: input.number,
        name: input.name,
        groupNumber: group.number,
        salesPrice: input.sales_price,
        unit: input.unit,
      })
      .returning(),
  );
  return serializeProduct(row!, group);
}

export async function findProduct(db: Db, accountId: number, number: string) {
  const [row] = await db
    .select()
    .from(rbProducts)
    .where(and(eq(rbProducts.accountId, accountId), eq(rbProducts.number, number)));
  return row;
}

export async function getProduct(db: Db, accountId: number, number: string) {
  const row = await findProduct(db, accountId, number);
  if (!row) throw notFound("Product");
  return serializeProduct(row, await findProductGroup(db, accountId, row.groupNumber));
}

export async function listProducts(db: Db, accountId: number, page: Page) {
  const where = eq(rbProducts.accountId, accountId);
  const [rows, groups] = await Promise.all([
    db
      .select()
      .from(rbProducts)
      .where(where)
      .orderBy(asc(rbProducts.number))
      .limit(page.limit)
      .offset(page.offset),
    db.select().from(rbProductGroups).where(eq(rbProductGroups.accountId, accountId)),
  ]);
  return {
    items: rows.map((p) =>
      serializeProduct(
        p,
        groups.find((g) => g.number === p.groupNumber),
      ),
    ),
    total: await db.$count(rbProducts, where),
  };
}

// ---- projects

export function serializeProject(p: RbProject) {
  return {
    number: p.number,
    name: p.name,
    customer_id: p.customerNumber,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

const projectInput = z.looseObject({
  number: z.string().trim().min(1, { error: "The number field is required." }).max(255),
  name: z.string().trim().min(1, { error: "The name field is required." }).max(255),
  customer_id: z.number().int().nullish(),
});

export async function createProject(db: Db, accountId: number, body: unknown) {
  const input = parseBody(projectInput, body);
  if (input.customer_id != null && !(await findCustomer(db, accountId, input.customer_id))) {
    throw invalidField("customer_id", "The selected customer id is invalid.");
  }
  const [row] = await insertUnique("number", () =>
    db
      .insert(rbProjects)
      .values({
        accountId,
        number: input.number,
        name: input.name,
        customerNumber: input.customer_id ?? null,
      })
      .returning(),
  );
  return serializeProject(row!);
}

export async function findProject(db: Db, accountId: number, number: string) {
  const [row] = await db
    .select()
    .from(rbProjects)
    .where(and(eq(rbProjects.accountId, accountId), eq(rbProjects.number, number)));
  return row;
}

export async function getProject(db: Db, accountId: number, number: string) {
  const row = await findProject(db, accountId, number);
  if (!row) throw notFound("Project");
  return serializeProject(row);
}

export async function listProjects(db: Db, accountId: number, page: Page) {
  const where = eq(rbProjects.accountId, accountId);
  const rows = await db
    .select()
    .from(rbProjects)
    .where(where)
    .orderBy(asc(rbProjects.number))
    .limit(page.limit)
    .offset(page.offset);
  return { items: rows.map(serializeProject), total: await db.$count(rbProjects, where) };
}
