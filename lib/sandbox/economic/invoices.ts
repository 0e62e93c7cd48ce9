import { loadDoc, missing } from "./collections";
import { type Ctx, created, jsonResponse, readJson } from "./context";
import { ApiError, errorCodes, Issues, validationFailed } from "./errors";
import { lineVatRates, vatAmounts } from "./line-vat";
import { checkExists } from "./master-data";
import { fromScaled, lineTotalCents, toScaled } from "./money";
import { renderPdf } from "./pdf";
import { present } from "./present";
import type { DocumentRow, JsonObject, JsonValue } from "./schema";
import {
  allocateBookedNumber,
  allocateDraftNumber,
  type DocKind,
  type DocRef,
  deleteDoc,
  getDoc,
  getDocs,
  insertDocIfAbsent,
  refKey,
  replaceDoc,
} from "./store";
import { copyStrings, isObj, type Obj, Reader } from "./validation";

interface ParsedLine {
  index: number;
  lineNumber?: number;
  sortKey?: number;
  productNumber?: string;
  description?: string;
  quantity?: bigint;
  unitNetPrice?: bigint;
  discountPercentage?: bigint;
  unitNumber?: number;
}

interface ParsedDraft {
  date?: string;
  dueDate?: string;
  currency?: string;
  exchangeRate?: number;
  customerNumber?: number;
  paymentTermsNumber?: number;
  layoutNumber?: number;
  vatZoneNumber?: number;
  recipient: JsonObject;
  attentionNumber?: number;
  references?: JsonObject;
  contactNumber?: number;
  notes?: JsonObject;
  projectNumber?: number;
  lines: ParsedLine[];
}

const nemHandelTypes = ["ean", "corporateIdentificationNumber", "pNumber"] as const;

function parseDraft(o: Obj, issues: Issues): ParsedDraft {
  const r = new Reader(issues);
  const p: ParsedDraft = { recipient: {}, lines: [] };
  p.date = r.date(o, "date", [], { required: true });
  p.dueDate = r.date(o, "dueDate", []);
  p.currency = r.str(o, "currency", [], { required: true, pattern: /^[A-Z]{3}$/ });
  p.exchangeRate = r.number(o, "exchangeRate", []);
  p.customerNumber = r.ref(o, "customer", "customerNumber", [], { required: true });
  p.paymentTermsNumber = r.ref(o, "paymentTerms", "paymentTermsNumber", [], { required: true });
  p.layoutNumber = r.ref(o, "layout", "layoutNumber", [], { required: true });
  p.projectNumber = r.ref(o, "project", "projectNumber", []);

  const recipient = r.obj(o, "recipient", [], { required: true });
  if (recipient) {
    const path = ["recipient"];
    const name = r.str(recipient, "name", path, { required: true, max: 250 });
    p.vatZoneNumber = r.ref(recipient, "vatZone", "vatZoneNumber", path, { required: true });
    for (const [key, max] of [
      ["address", 250],
      ["zip", 50],
      ["city", 250],
      ["country", 50],
      ["publicEntryNumber", 40],
      ["cvr", 40],
    ] as const) {
      r.str(recipient, key, path, { max });
    }
    r.str(recipient, "ean", path, { max: 13 });
    r.str(recipient, "nemHandelType", path, { values: nemHandelTypes });
    p.attentionNumber = r.ref(recipient, "attention", "customerContactNumber", path);
    if (name !== undefined) p.recipient.name = name;
    copyStrings(recipient, p.recipient, [
      "address",
      "zip",
      "city",
      "country",
      "ean",
      "nemHandelType",
      "publicEntryNumber",
      "cvr",
    ]);
    if (p.attentionNumber !== undefined) p.recipient.attention = { customerContactNumber: p.attentionNumber };
  }

  const references = r.obj(o, "references", []);
  if (references) {
    const path = ["references"];
    r.str(references, "other", path, { max: 250 });
    p.contactNumber = r.ref(references, "customerContact", "customerContactNumber", path);
    const salesPerson = r.ref(references, "salesPerson", "employeeNumber", path);
    r.str(references, "vendorReference", path, { max: 250 });
    p.references = {};
    copyStrings(references, p.references, ["other", "vendorReference"]);
    if (p.contactNumber !== undefined)
      p.references.customerContact = { customerContactNumber: p.contactNumber };
    if (salesPerson !== undefined) p.references.salesPerson = { employeeNumber: salesPerson };
  }

  const notes = r.obj(o, "notes", []);
  if (notes) {
    r.str(notes, "heading", ["notes"], { max: 250 });
    r.str(notes, "textLine1", ["notes"], { max: 1000 });
    r.str(notes, "textLine2", ["notes"], { max: 1000 });
    p.notes = {};
    copyStrings(notes, p.notes, ["heading", "textLine1", "textLine2"]);
  }

  const lines = o.lines;
  if (lines !== undefined && !Array.isArray(lines)) {
    issues.add(["lines"], errorCodes.invalidType, "lines must be an array.");
  } else if (lines) {
    lines.forEach((entry, index) => {
      const path = ["lines", index];
      if (!isObj(entry)) {
        issues.add(path, errorCodes.invalidType, "A line must be an object.");
        return;
      }
      const line: ParsedLine = { index };
      line.lineNumber = r.int(entry, "lineNumber", path, { min: 1 });
      line.sortKey = r.int(entry, "sortKey", path, { min: 1 });
      const product = r.obj(entry, "product", path);
      if (product)
        line.productNumber = r.str(product, "productNumber", [...path, "product"], {
          required: true,
          max: 25,
        });
      line.description = r.str(entry, "description", path, { required: product !== undefined, max: 2500 });
      line.quantity = r.decimal(entry, "quantity", path);
      line.unitNetPrice = r.decimal(entry, "unitNetPrice", path);
      line.discountPercentage = r.decimal(entry, "discountPercentage", path, { min: 0, max: 100 });
      line.unitNumber = r.ref(entry, "unit", "unitNumber", path);
      if (product && entry.quantity === undefined) {
        issues.add(
          [...path, "quantity"],
          errorCodes.productLineWithoutQuantity,
          "A line with a product must have a quantity.",
        );
      }
      p.lines.push(line);
    });
  }
  return p;
}

/** The referenced master data of a draft, loaded in one query. */
function draftRefs(p: ParsedDraft): DocRef[] {
  const refs: DocRef[] = [];
  const add = (kind: DocKind, key: number | string | undefined) => {
    if (key !== undefined) refs.push({ kind, key: String(key) });
  };
  add("customer", p.customerNumber);
  add("paymentTerms", p.paymentTermsNumber);
  add("layout", p.layoutNumber);
  add("vatZone", p.vatZoneNumber);
  add("contact", p.contactNumber);
  add("contact", p.attentionNumber);
  add("project", p.projectNumber);
  for (const line of p.lines) {
    add("product", line.productNumber);
    add("unit", line.unitNumber);
  }
  return refs;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The due date follows the payment terms; an explicit `dueDate` is honoured (and required) only for
 * `dueDate` terms, as e-conomic documents. Elsewhere it is recomputed.
 */
function dueDateFor(date: string, terms: JsonObject, given: string | undefined): string {
  const days = typeof terms.daysOfCredit === "number" ? terms.daysOfCredit : 0;
  switch (terms.paymentTermsType) {
    case "dueDate":
      return given ?? date;
    case "invoiceMonth": {
      const d = new Date(`${date}T00:00:00Z`);
      const monthEnd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
      return addDays(monthEnd.toISOString().slice(0, 10), days);
    }
    case "net":
      return addDays(date, days);
    default:
      return date;
  }
}

/** Validates a draft body and its references; returns the stored document (without its number). */
async function buildDraft(ctx: Ctx, body: unknown): Promise<JsonObject> {
  if (!isObj(body))
    throw validationFailed([], errorCodes.invalidType, "The request body must be a JSON object.");
  const issues = new Issues();
  const p = parseDraft(body, issues);
  const found = await getDocs(ctx.db, ctx.agreement.agreementNumber, draftRefs(p));
  const check = (
    kind: DocKind,
    value: number | string | undefined,
    path: Array<string | number>,
    name: string,
  ) => (value === undefined ? [] : [{ ref: { kind, key: String(value) }, path, name, value }]);
  checkExists(issues, found, [
    ...check("customer", p.customerNumber, ["customer"], "customer"),
    ...check("paymentTerms", p.paymentTermsNumber, ["paymentTerms"], "paymentTerms"),
    ...check("layout", p.layoutNumber, ["layout"], "layout"),
    ...check("vatZone", p.vatZoneNumber, ["recipient", "vatZone"], "vatZone"),
    ...check("contact", p.contactNumber, ["references", "customerContact"], "customerContact"),
    ...check("contact", p.attentionNumber, ["recipient", "attention"], "attention"),
    ...check("project", p.projectNumber, ["project"], "project"),
    ...p.lines.flatMap((l) => [
      ...check("product", l.productNumber, ["lines", l.index, "product"], "product"),
      ...check("unit", l.unitNumber, ["lines", l.index, "unit"], "unit"),
    ]),
  ]);
  const get = (kind: DocKind, key: number | string | undefined) =>
    key === undefined ? undefined : found.get(refKey(kind, String(key)));
  const customerKey = String(p.customerNumber);
  for (const [number, path] of [
    [p.contactNumber, ["references", "customerContact"]],
    [p.attentionNumber, ["recipient", "attention"]],
  ] as const) {
    const contact = get("contact", number);
    if (contact && contact.parentKey !== customerKey) {
      issues.add([...path], errorCodes.doesNotExist, "customerContact does not exist.", String(number));
    }
  }
  const terms = get("paymentTerms", p.paymentTermsNumber)?.data;
  if (terms?.paymentTermsType === "dueDate" && p.dueDate === undefined) {
    issues.add(["dueDate"], errorCodes.required, "dueDate is required with due-date payment terms.");
  }
  if (issues.any) throw new ApiError(issues.toResponse());

  const lineTotals: bigint[] = [];
  const products = p.lines.map((l) => get("product", l.productNumber));
  const rates = await lineVatRates(ctx, p.vatZoneNumber!, products);
  const lines: JsonObject[] = p.lines.map((l, i) => {
    const product = get("product", l.productNumber)?.data;
    const price =
      l.unitNetPrice ??
      (typeof product?.salesPrice === "number" ? toScaled(product.salesPrice) : undefined) ??
      0n;
    const quantity = l.quantity ?? 0n;
    const discount = l.discountPercentage ?? 0n;
    const total = lineTotalCents({ quantity, unitNetPrice: price, discountPercentage: discount });
    lineTotals.push(total);
    const line: JsonObject = { lineNumber: l.lineNumber ?? i + 1, sortKey: l.sortKey ?? i + 1 };
    if (l.description !== undefined) line.description = l.description;
    if (l.productNumber !== undefined) line.product = { productNumber: l.productNumber };
    line.quantity = fromScaled(quantity);
    line.unitNetPrice = fromScaled(price);
    if (l.discountPercentage !== undefined) line.discountPercentage = fromScaled(discount);
    if (l.unitNumber !== undefined) {
      line.unit = { unitNumber: l.unitNumber, name: String(get("unit", l.unitNumber)?.data.name ?? "") };
    }
    line.totalNetAmount = fromScaled(total);
    return line;
  });
  const totals = vatAmounts(lineTotals, rates);
  // Per line too (the sandbox's addition; e-conomic documents only `totalNetAmount` on lines).
  for (const [i, line] of lines.entries()) Object.assign(line, totals.lines[i]);
  const recipient: JsonObject = { ...p.recipient, vatZone: { vatZoneNumber: p.vatZoneNumber! } };
  const doc: JsonObject = {
    date: p.date!,
    dueDate: dueDateFor(p.date!, terms!, p.dueDate),
    currency: p.currency!,
    netAmount: totals.invoice.netAmount,
    vatAmount: totals.invoice.vatAmount,
    grossAmount: totals.invoice.grossAmount,
    roundingAmount: 0,
    paymentTerms: {
      paymentTermsNumber: p.paymentTermsNumber!,
      daysOfCredit: terms!.daysOfCredit ?? 0,
      name: terms!.name ?? "",
      paymentTermsType: terms!.paymentTermsType ?? "net",
    },
    customer: { customerNumber: p.customerNumber! },
    recipient,
    layout: { layoutNumber: p.layoutNumber! },
    lines,
    lastUpdated: new Date().toISOString(),
  };
  if (p.exchangeRate !== undefined) doc.exchangeRate = p.exchangeRate;
  if (p.references) doc.references = p.references;
  if (p.notes) doc.notes = p.notes;
  if (p.projectNumber !== undefined) doc.project = { projectNumber: p.projectNumber };
  return doc;
}

export async function createDraft(ctx: Ctx): Promise<Response> {
  const doc = await buildDraft(ctx, await readJson(ctx.request));
  const agreementNumber = ctx.agreement.agreementNumber;
  const number = await ctx.db.transaction(async (tx) => {
    const n = await allocateDraftNumber(tx, agreementNumber);
    doc.draftInvoiceNumber = n;
    await insertDocIfAbsent(tx, agreementNumber, "draft", {
      key: String(n),
      sortNumber: n,
      data: withNumberFirst(doc, "draftInvoiceNumber"),
    });
    return n;
  });
  return created(
    present(
      "draft",
      { key: String(number), parentKey: null, data: withNumberFirst(doc, "draftInvoiceNumber") },
      ctx.base,
    ),
  );
}

function withNumberFirst(doc: JsonObject, field: string): JsonObject {
  const { [field]: number, ...rest } = doc;
  return { [field]: number ?? null, ...rest };
}

export async function updateDraft(ctx: Ctx, key: string): Promise<Response> {
  const existing = /^\d+$/.test(key)
    ? await getDoc(ctx.db, ctx.agreement.agreementNumber, "draft", key)
    : undefined;
  if (!existing) throw missing("draft");
  const doc = withNumberFirst(
    { ...(await buildDraft(ctx, await readJson(ctx.request))), draftInvoiceNumber: Number(key) },
    "draftInvoiceNumber",
  );
  if (!(await replaceDoc(ctx.db, ctx.agreement.agreementNumber, "draft", key, doc))) throw missing("draft");
  return jsonResponse(present("draft", { key, parentKey: null, data: doc }, ctx.base));
}

export async function deleteDraft(ctx: Ctx, key: string): Promise<Response> {
  if (!(await deleteDoc(ctx.db, ctx.agreement.agreementNumber, "draft", key))) throw missing("draft");
  return new Response(null, { status: 204 });
}

// ---- booking ----

const sendByValues = ["none", "ean"] as const;

/**
 * Books a draft: the draft row is deleted and the booked row inserted in one transaction, so a
 * failed precondition (thrown as ApiError) leaves the draft in place.
 */
export async function bookDraft(ctx: Ctx): Promise<Response> {
  const body = await readJson(ctx.request);
  if (!isObj(body))
    throw validationFailed([], errorCodes.invalidType, "The request body must be a JSON object.");
  const issues = new Issues();
  const r = new Reader(issues);
  const draftNumber = r.ref(body, "draftInvoice", "draftInvoiceNumber", [], { required: true });
  const bookWithNumber = r.int(body, "bookWithNumber", [], { min: 1, max: 999_999_999 });
  // The docs' table also spells the field `sentBy`; both are accepted.
  const sendBy =
    r.str(body, "sendBy", [], { values: sendByValues }) ??
    r.str(body, "sentBy", [], { values: sendByValues });
  if (issues.any) throw new ApiError(issues.toResponse());

  const agreement = ctx.agreement;
  const booked = await ctx.db.transaction(async (tx) => {
    const draft = await deleteDoc(tx, agreement.agreementNumber, "draft", String(draftNumber));
    if (!draft) {
      throw validationFailed(
        ["draftInvoice"],
        errorCodes.doesNotExist,
        "draftInvoice does not exist.",
        String(draftNumber),
      );
    }
    const data = draft.data;
    const lines = (Array.isArray(data.lines) ? data.lines : []) as JsonObject[];
    const productOf = (l: JsonObject) => (isObj(l.product) ? String(l.product.productNumber) : undefined);
    const customerNumber = String((data.customer as JsonObject).customerNumber);
    const contactNumber =
      isObj(data.references) && isObj(data.references.customerContact)
        ? String(data.references.customerContact.customerContactNumber)
        : undefined;
    const refs: DocRef[] = [{ kind: "customer", key: customerNumber }];
    for (const l of lines) {
      const p = productOf(l);
      if (p !== undefined) refs.push({ kind: "product", key: p });
    }
    const found = await getDocs(tx, agreement.agreementNumber, refs);
    lines.forEach((l, index) => {
      const p = productOf(l);
      const product = p === undefined ? undefined : found.get(refKey("product", p));
      if (product?.data.barred === true) {
        issues.add(["lines", index, "product"], errorCodes.productBarred, `Product ${p} is barred.`, p);
      } else if (p !== undefined && !product) {
        issues.add(["lines", index, "product"], errorCodes.doesNotExist, "product does not exist.", p);
      }
    });
    const customer = found.get(refKey("customer", customerNumber));
    if (!customer)
      issues.add(["customer"], errorCodes.doesNotExist, "customer does not exist.", customerNumber);
    // e-conomic's EAN conditions (e-conomic/slate `_invoices.md`, "EAN"): an EAN and a contact
    // person on the customer, a contact person on the invoice, a CVR number on the agreement.
    if (sendBy === "ean") {
      if (customer && !customer.data.ean) {
        issues.add(
          ["customer"],
          errorCodes.eanCustomerWithoutEan,
          "The customer has no EAN number; cannot send by EAN.",
        );
      }
      if (customer && !isObj(customer.data.attention)) {
        issues.add(
          ["customer", "attention"],
          errorCodes.eanCustomerWithoutAttention,
          "Sending by EAN needs a contact person on the customer (attention).",
        );
      }
      if (contactNumber === undefined) {
        issues.add(
          ["references", "customerContact"],
          errorCodes.eanWithoutCustomerContact,
          "Sending by EAN needs references.customerContact.",
        );
      }
      if (!agreement.cvr) {
        issues.add(
          ["sendBy"],
          errorCodes.eanAgreementWithoutCvr,
          "The agreement has no CVR number; cannot send by EAN.",
        );
      }
    }
    if (issues.any) throw new ApiError(issues.toResponse());

    const { draftInvoiceNumber: _draft, lastUpdated: _updated, ...kept } = data;
    const bookedData = (n: number): JsonObject => ({
      bookedInvoiceNumber: n,
      ...kept,
      remainder: data.grossAmount ?? 0,
      ...(sendBy === "ean" ? { sentBy: "ean" } : {}),
    });
    if (bookWithNumber !== undefined) {
      const ok = await insertDocIfAbsent(tx, agreement.agreementNumber, "booked", {
        key: String(bookWithNumber),
        sortNumber: bookWithNumber,
        data: bookedData(bookWithNumber),
      });
      if (!ok) {
        throw validationFailed(
          ["bookWithNumber"],
          errorCodes.bookNumberInUse,
          `An invoice with number ${bookWithNumber} is already booked.`,
          bookWithNumber,
        );
      }
      return { key: String(bookWithNumber), data: bookedData(bookWithNumber) };
    }
    // Numbers taken by bookWithNumber are skipped.
    for (;;) {
      const n = await allocateBookedNumber(tx, agreement.agreementNumber);
      const doc = { key: String(n), sortNumber: n, data: bookedData(n) };
      if (await insertDocIfAbsent(tx, agreement.agreementNumber, "booked", doc)) return doc;
    }
  });
  return created(present("booked", { key: booked.key, parentKey: null, data: booked.data }, ctx.base));
}

// ---- PDF ----

function amount(value: JsonValue | undefined): string {
  const scaled = typeof value === "number" ? (toScaled(value) ?? 0n) : 0n;
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${negative ? "-" : ""}${whole},${(abs % 100n).toString().padStart(2, "0")}`;
}

export async function invoicePdf(ctx: Ctx, kind: "draft" | "booked", key: string): Promise<Response> {
  const row: DocumentRow = await loadDoc(ctx, kind, key);
  const d = row.data;
  const recipient = (d.recipient ?? {}) as JsonObject;
  const customer = (d.customer ?? {}) as JsonObject;
  const currency = String(d.currency ?? "");
  const text: string[] = [
    ctx.agreement.companyName,
    ctx.agreement.cvr ? `CVR ${ctx.agreement.cvr}` : "",
    "",
    kind === "booked" ? `Faktura nr. ${key}` : `Kladde nr. ${key} (ikke bogført)`,
    `Dato: ${d.date ?? ""}   Forfald: ${d.dueDate ?? ""}`,
    "",
    `Kunde nr. ${customer.customerNumber ?? ""}`,
    String(recipient.name ?? ""),
    ...[
      recipient.address,
      [recipient.zip, recipient.city].filter(Boolean).join(" "),
      recipient.country,
    ].filter((v): v is string => typeof v === "string" && v !== ""),
    "",
  ];
  if (isObj(d.references) && typeof d.references.other === "string")
    text.push(`Reference: ${d.references.other}`, "");
  for (const l of (Array.isArray(d.lines) ? d.lines : []) as JsonObject[]) {
    const product = isObj(l.product) ? `${l.product.productNumber} ` : "";
    text.push(
      `${product}${l.description ?? ""}  ${l.quantity ?? 0} x ${amount(l.unitNetPrice)}${
        l.discountPercentage ? ` -${l.discountPercentage}%` : ""
      } = ${amount(l.totalNetAmount)} ${currency}`,
    );
  }
  text.push(
    "",
    `Netto: ${amount(d.netAmount)} ${currency}`,
    `Moms: ${amount(d.vatAmount)} ${currency}`,
    `I alt: ${amount(d.grossAmount)} ${currency}`,
  );
  return new Response(renderPdf(text), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="invoice-${key}.pdf"`,
    },
  });
}
