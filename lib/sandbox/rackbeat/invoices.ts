import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import {
  add,
  type Decimal,
  HUNDRED,
  multiply,
  parseDecimal,
  roundDecimal,
  shiftLeft,
  subtract,
  toDecimalString,
  ZERO,
} from "@/lib/money/decimal";
import { toJsonNumber } from "./decimal";
import {
  type FieldErrors,
  invalid,
  invalidField,
  notFound,
  type Page,
  parseBody,
  SandboxHttpError,
} from "./http";
import {
  type RbCustomerInvoice,
  type RbCustomerInvoiceLine,
  rbAccounts,
  rbCustomerInvoiceLines,
  rbCustomerInvoices,
  rbCustomers,
  rbOrders,
  rbProductGroups,
  rbProducts,
  rbProjects,
} from "./schema";
import {
  decimalInput,
  findCustomer,
  findPaymentTerm,
  findProject,
  serializeCustomers,
  vatForZone,
} from "./store";

// ---- totals

export interface LineAmounts {
  quantity: string;
  linePrice: string;
  discountPercentage: string;
  vatPercentage: string;
}

export interface InvoiceTotals {
  /** Each line's total, rounded to øre on its own. */
  lineTotals: string[];
  /** The sum of the line totals. */
  subtotal: string;
  vat: string;
  total: string;
}

/** Net amount of a line, exact: quantity × line_price × (1 − discount/100). */
export function lineNet(line: Pick<LineAmounts, "quantity" | "linePrice" | "discountPercentage">): Decimal {
  const gross = multiply(parseDecimal(line.quantity), parseDecimal(line.linePrice));
  return shiftLeft(multiply(gross, subtract(HUNDRED, parseDecimal(line.discountPercentage))), 2);
}

/** A line's `line_total`: its exact net rounded half away from zero to øre. */
export function lineTotal(line: Pick<LineAmounts, "quantity" | "linePrice" | "discountPercentage">): Decimal {
  return roundDecimal(lineNet(line), 2);
}

/**
 * The sandbox's one rounding rule, so an invoice adds up the way a printed one does (Rackbeat does
 * not document its own): every line total is rounded to øre on its own; the subtotal is the sum of
 * the line totals; VAT is computed per VAT rate on the sum of that rate's line totals and rounded
 * to øre; the total is subtotal + VAT. All rounding is half away from zero, with exact integers.
 */
export function computeTotals(lines: LineAmounts[]): InvoiceTotals {
  const lineTotals = lines.map(lineTotal);
  const netByRate = new Map<string, { rate: Decimal; net: Decimal }>();
  lines.forEach((line, i) => {
    const rate = parseDecimal(line.vatPercentage);
    const key = toDecimalString(rate);
    const group = netByRate.get(key) ?? { rate, net: ZERO };
    netByRate.set(key, { rate, net: add(group.net, lineTotals[i]!) });
  });
  const subtotal = lineTotals.reduce(add, ZERO);
  const vat = [...netByRate.values()]
    .map((g) => roundDecimal(shiftLeft(multiply(g.net, g.rate), 2), 2))
    .reduce(add, ZERO);
  return {
    lineTotals: lineTotals.map((t) => toDecimalString(t)),
    subtotal: toDecimalString(subtotal),
    vat: toDecimalString(vat),
    total: toDecimalString(add(subtotal, vat)),
  };
}

// ---- serialization

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function serializeLine(l: RbCustomerInvoiceLine) {
  return {
    child_id: l.childId,
    child_type: l.childType,
    name: l.name,
    quantity: toJsonNumber(l.quantity),
    line_price: toJsonNumber(l.linePrice),
    discount_percentage: toJsonNumber(l.discountPercentage),
    vat_percentage: toJsonNumber(l.vatPercentage),
    line_total: toJsonNumber(lineTotal(l)),
  };
}

type Customers = Awaited<ReturnType<typeof serializeCustomers>>;

function serializeInvoice(
  inv: RbCustomerInvoice,
  lines: RbCustomerInvoiceLine[],
  customer: Customers[number] | undefined,
  projectName: string | undefined,
) {
  return {
    number: inv.number,
    customer_id: inv.customerNumber,
    customer: customer ?? null,
    order_id: inv.orderId,
    order: inv.orderNumber === null ? null : { id: inv.orderId, number: inv.orderNumber },
    project: inv.projectNumber === null ? null : { number: inv.projectNumber, name: projectName ?? null },
    currency: inv.currency,
    currency_rate: toJsonNumber(inv.currencyRate),
    date: inv.date,
    due_date: inv.dueDate,
    heading: inv.heading,
    note: inv.note,
    is_booked: inv.isBooked,
    booked_at: iso(inv.bookedAt),
    total_subtotal: toJsonNumber(inv.totalSubtotal),
    total_vat: toJsonNumber(inv.totalVat),
    total_total: toJsonNumber(inv.totalTotal),
    address_name: inv.addressName,
    address_street: inv.addressStreet,
    address_city: inv.addressCity,
    address_zipcode: inv.addressZipcode,
    address_country: inv.addressCountry,
    lines: lines.map(serializeLine),
    created_at: iso(inv.createdAt),
    updated_at: iso(inv.updatedAt),
  };
}
export type SandboxCustomerInvoice = ReturnType<typeof serializeInvoice>;

/** Invoices with customer, lines, order and project embedded (what `expand` asks for). */
async function serializeInvoices(db: Db, accountId: number, invoices: RbCustomerInvoice[]) {
  if (invoices.length === 0) return [];
  const ids = invoices.map((i) => i.id);
  const customerNumbers = [...new Set(invoices.map((i) => i.customerNumber))];
  const projectNumbers = [
    ...new Set(invoices.flatMap((i) => (i.projectNumber === null ? [] : [i.projectNumber]))),
  ];
  const [lines, customerRows, projects] = await Promise.all([
    db
      .select()
      .from(rbCustomerInvoiceLines)
      .where(inArray(rbCustomerInvoiceLines.invoiceId, ids))
      .orderBy(asc(rbCustomerInvoiceLines.invoiceId), asc(rbCustomerInvoiceLines.position)),
    db
      .select()
      .from(rbCustomers)
      .where(and(eq(rbCustomers.accountId, accountId), inArray(rbCustomers.number, customerNumbers))),
    projectNumbers.length
      ? db
          .select()
          .from(rbProjects)
          .where(and(eq(rbProjects.accountId, accountId), inArray(rbProjects.number, projectNumbers)))
      : Promise.resolve([]),
  ]);
  const customers = await serializeCustomers(db, accountId, customerRows);
  return invoices.map((inv) =>
    serializeInvoice(
      inv,
      lines.filter((l) => l.invoiceId === inv.id),
      customers.find((c) => c.number === inv.customerNumber),
      projects.find((p) => p.number === inv.projectNumber)?.name,
    ),
  );
}

// ---- create

/** Default exchange rates per 100 units (the Danish convention); others must be given. */
const DEFAULT_RATES: Record<string, string> = {
  DKK: "100",
  EUR: "746.08",
  USD: "688.5",
  SEK: "64.9",
  NOK: "63.2",
  GBP: "868.4",
};

const numberInput = z.union([z.string(), z.number().int()]).transform((v) => String(v).trim());
const dateInput = z.iso.date({ error: "The value must be a date (YYYY-MM-DD)." });

const lineInput = z.looseObject({
  child_id: numberInput.pipe(z.string().min(1, { error: "The child id field is required." })),
  child_type: z.enum(["product", "lot"], { error: "The selected child type is invalid." }).default("product"),
  name: z.string().max(1000).nullish(),
  quantity: decimalInput(6),
  line_price: decimalInput(6).optional(),
  discount_percentage: decimalInput(4)
    .refine((v) => Number(v) >= 0 && Number(v) <= 100, {
      error: "The discount percentage must be between 0 and 100.",
    })
    .default("0"),
  vat_percentage: decimalInput(2)
    .refine((v) => Number(v) >= 0 && Number(v) <= 100, {
      error: "The VAT percentage must be between 0 and 100.",
    })
    .optional(),
});

const invoiceInput = z.looseObject({
  number: numberInput
    .pipe(z.string().regex(/^\d{1,18}$/, { error: "The number must be a string of digits." }))
    .optional(),
  customer_id: z.number({ error: "The customer id field is required." }).int(),
  date: dateInput.optional(),
  due_date: dateInput.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: "The currency must be a 3-letter ISO code." })
    .optional(),
  currency_rate: decimalInput(6).optional(),
  heading: z.string().max(1000).nullish(),
  note: z.string().max(10000).nullish(),
  order: z.looseObject({ number: numberInput.pipe(z.string().min(1)) }).nullish(),
  project: z.looseObject({ number: numberInput.pipe(z.string().min(1)) }).nullish(),
  address_name: z.string().max(255).nullish(),
  address_street: z.string().max(255).nullish(),
  address_city: z.string().max(255).nullish(),
  address_zipcode: z.string().max(255).nullish(),
  address_country: z.string().max(255).nullish(),
  lines: z.array(lineInput).min(1, { error: "The lines field is required." }),
});

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function endOfMonth(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** Hands out the account's next invoice number, skipping numbers already used explicitly. */
async function assignNumber(tx: Db, accountId: number): Promise<string> {
  for (;;) {
    const [row] = await tx
      .update(rbAccounts)
      .set({ nextInvoiceNumber: sql`${rbAccounts.nextInvoiceNumber} + 1` })
      .where(eq(rbAccounts.id, accountId))
      .returning({ next: rbAccounts.nextInvoiceNumber });
    const number = String(row!.next - 1);
    const [taken] = await tx
      .select({ id: rbCustomerInvoices.id })
      .from(rbCustomerInvoices)
      .where(and(eq(rbCustomerInvoices.accountId, accountId), eq(rbCustomerInvoices.number, number)));
    if (!taken) return number;
  }
}

export async function createInvoice(db: Db, account: { id: number }, body: unknown) {
  const input = parseBody(invoiceInput, body);
  const accountId = account.id;
  const customer = await findCustomer(db, accountId, input.customer_id);
  if (!customer) throw invalidField("customer_id", "The selected customer id is invalid.");
  const errors: FieldErrors = {};
  const project = input.project ? await findProject(db, accountId, input.project.number) : undefined;
  if (input.project && !project) errors["project.number"] = ["The selected project number is invalid."];

  const productNumbers = [
    ...new Set(input.lines.filter((l) => l.child_type === "product").map((l) => l.child_id)),
  ];
  const products = productNumbers.length
    ? await db
        .select()
        .from(rbProducts)
        .where(and(eq(rbProducts.accountId, accountId), inArray(rbProducts.number, productNumbers)))
    : [];
  const groups = await db.select().from(rbProductGroups).where(eq(rbProductGroups.accountId, accountId));
  const lines = input.lines.map((line, i) => {
    const product = products.find((p) => p.number === line.child_id);
    if (line.child_type === "product" && !product) {
      errors[`lines.${i}.child_id`] = ["The selected child id is invalid."];
    }
    const group = groups.find((g) => g.number === product?.groupNumber);
    const linePrice = line.line_price ?? product?.salesPrice;
    if (linePrice === undefined) errors[`lines.${i}.line_price`] = ["The line price field is required."];
    const name = line.name ?? product?.name;
    if (!name) errors[`lines.${i}.name`] = ["The name field is required."];
    return {
      position: i,
      childId: line.child_id,
      childType: line.child_type,
      name: name ?? "",
      quantity: line.quantity,
      linePrice: linePrice ?? "0",
      discountPercentage: line.discount_percentage,
      vatPercentage: line.vat_percentage ?? (group ? vatForZone(group, customer.vatZone) : "0"),
    };
  });
  const currency = input.currency ?? customer.currency;
  const currencyRate = input.currency_rate ?? DEFAULT_RATES[currency];
  if (!currencyRate) errors.currency_rate = ["The currency rate field is required for this currency."];
  if (Object.keys(errors).length) throw invalid(errors);

  const date = input.date ?? new Date().toISOString().slice(0, 10);
  let dueDate = input.due_date;
  if (!dueDate) {
    const terms = customer.paymentTermsNumber
      ? await findPaymentTerm(db, accountId, customer.paymentTermsNumber)
      : undefined;
    dueDate = !terms
      ? date
      : terms.type === "current_month"
        ? addDays(endOfMonth(date), terms.days)
        : addDays(date, terms.days);
  }
  if (dueDate < date) throw invalidField("due_date", "The due date must be a date after or equal to date.");
  const totals = computeTotals(lines);

  const invoice = await db.transaction(async (tx) => {
    const number = input.number ?? (await assignNumber(tx, accountId));
    let orderId: number | null = null;
    if (input.order) {
      const [order] = await tx
        .insert(rbOrders)
        .values({ accountId, number: input.order.number })
        .onConflictDoUpdate({ target: [rbOrders.accountId, rbOrders.number], set: { updatedAt: sql`now()` } })
        .returning({ id: rbOrders.id });
      orderId = order!.id;
    }
    const inserted = await tx
      .insert(rbCustomerInvoices)
      .values({
        accountId,
        number,
        customerNumber: customer.number,
        orderId,
        orderNumber: input.order?.number ?? null,
        projectNumber: project?.number ?? null,
        currency,
        currencyRate: currencyRate!,
        date,
        dueDate: dueDate!,
        heading: input.heading ?? null,
        note: input.note ?? null,
        totalSubtotal: totals.subtotal,
        totalVat: totals.vat,
        totalTotal: totals.total,
        addressName: input.address_name ?? customer.companyName,
        addressStreet: input.address_street ?? customer.addressStreet,
        addressCity: input.address_city ?? customer.addressCity,
        addressZipcode: input.address_zipcode ?? customer.addressZipcode,
        addressCountry: input.address_country ?? customer.addressCountry,
      })
      .onConflictDoNothing({ target: [rbCustomerInvoices.accountId, rbCustomerInvoices.number] })
      .returning();
    const row = inserted[0];
    if (!row) throw invalidField("number", "The number has already been taken.");
    await tx.insert(rbCustomerInvoiceLines).values(lines.map((l) => ({ ...l, invoiceId: row.id })));
    return row;
  });
  const [serialized] = await serializeInvoices(db, accountId, [invoice]);
  return serialized!;
}

// ---- read

async function findInvoice(db: Db, accountId: number, number: string) {
  const [row] = await db
    .select()
    .from(rbCustomerInvoices)
    .where(and(eq(rbCustomerInvoices.accountId, accountId), eq(rbCustomerInvoices.number, number)));
  return row;
}

export async function getInvoice(db: Db, accountId: number, number: string) {
  const row = await findInvoice(db, accountId, number);
  if (!row) throw notFound("Customer invoice");
  const [serialized] = await serializeInvoices(db, accountId, [row]);
  return serialized!;
}

export interface InvoiceListFilter {
  isBooked?: boolean;
  /** Only invoices booked at or after this time. */
  bookedSince?: Date;
  /** Newest booking first (`sort=-booked_at`); otherwise by id. */
  newestBookedFirst?: boolean;
}

export async function listInvoices(db: Db, accountId: number, page: Page, filter: InvoiceListFilter = {}) {
  const where = and(
    eq(rbCustomerInvoices.accountId, accountId),
    filter.isBooked === undefined ? undefined : eq(rbCustomerInvoices.isBooked, filter.isBooked),
    filter.bookedSince === undefined ? undefined : gte(rbCustomerInvoices.bookedAt, filter.bookedSince),
  );
  const order = filter.newestBookedFirst
    ? [sql`${rbCustomerInvoices.bookedAt} desc nulls last`, desc(rbCustomerInvoices.id)]
    : [asc(rbCustomerInvoices.id)];
  const rows = await db
    .select()
    .from(rbCustomerInvoices)
    .where(where)
    .orderBy(...order)
    .limit(page.limit)
    .offset(page.offset);
  return {
    items: await serializeInvoices(db, accountId, rows),
    total: await db.$count(rbCustomerInvoices, where),
  };
}

// ---- book

/**
 * Books a draft inside `tx` (row-locked, so two concurrent bookings cannot both succeed) and returns
 * it; the caller records webhook deliveries in the same transaction.
 */
export async function bookInvoiceInTx(tx: Db, accountId: number, number: string): Promise<RbCustomerInvoice> {
  const [row] = await tx
    .select()
    .from(rbCustomerInvoices)
    .where(and(eq(rbCustomerInvoices.accountId, accountId), eq(rbCustomerInvoices.number, number)))
    .for("update");
  if (!row) throw notFound("Customer invoice");
  if (row.isBooked)
    throw new SandboxHttpError(422, "The invoice is already booked.", {
      number: ["The invoice is already booked."],
    });
  const [booked] = await tx
    .update(rbCustomerInvoices)
    .set({ isBooked: true, bookedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(rbCustomerInvoices.id, row.id))
    .returning();
  return booked!;
}

export async function serializeInvoiceRow(db: Db, accountId: number, row: RbCustomerInvoice) {
  const [serialized] = await serializeInvoices(db, accountId, [row]);
  return serialized!;
}
