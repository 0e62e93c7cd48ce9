import { missing } from "./collections";
import { type Ctx, created, jsonResponse, readJson } from "./context";
import { ApiError, errorCodes, Issues, validationFailed } from "./errors";
import { fromScaled } from "./money";
import { present } from "./present";
import type { JsonObject } from "./schema";
import {
  type DocKind,
  type DocRef,
  getDoc,
  getDocs,
  insertDocIfAbsent,
  nextFreeNumber,
  refKey,
  replaceDoc,
} from "./store";
import { copyStrings, isObj, type Obj, Reader } from "./validation";

/** Records E06000 for each reference that is not in `found`. */
export function checkExists(
  issues: Issues,
  found: Map<string, unknown>,
  checks: Array<{ ref: DocRef; path: Array<string | number>; name: string; value: number | string }>,
): void {
  for (const c of checks) {
    if (!found.has(refKey(c.ref.kind, c.ref.key))) {
      issues.add(c.path, errorCodes.doesNotExist, `${c.name} does not exist.`, String(c.value));
    }
  }
}

type Check = Parameters<typeof checkExists>[2][number];

function refCheck(kind: DocKind, value: number | undefined, path: string[], name = path.at(-1)!): Check[] {
  return value === undefined ? [] : [{ ref: { kind, key: String(value) }, path, name, value }];
}

function bodyObject(body: unknown): Obj {
  if (!isObj(body))
    throw validationFailed([], errorCodes.invalidType, "The request body must be a JSON object.");
  return body;
}

// ---- customers ----

const customerStrings = [
  "address",
  "zip",
  "city",
  "country",
  "email",
  "corporateIdentificationNumber",
  "ean",
  "telephoneAndFaxNumber",
  "mobilePhone",
  "website",
  "pNumber",
  "vatNumber",
] as const;

async function parseCustomer(ctx: Ctx, body: unknown, customerNumberFromUrl?: number) {
  const o = bodyObject(body);
  const issues = new Issues();
  const r = new Reader(issues);
  const currency = r.str(o, "currency", [], { required: true, pattern: /^[A-Z]{3}$/ });
  const customerGroupNumber = r.ref(o, "customerGroup", "customerGroupNumber", [], { required: true });
  const name = r.str(o, "name", [], { required: true, max: 255 });
  const paymentTermsNumber = r.ref(o, "paymentTerms", "paymentTermsNumber", [], { required: true });
  const vatZoneNumber = r.ref(o, "vatZone", "vatZoneNumber", [], { required: true });
  const layoutNumber = r.ref(o, "layout", "layoutNumber", []);
  // The customer's contact person; EAN invoices need one (e-conomic's EAN conditions).
  const attentionNumber = r.ref(o, "attention", "customerContactNumber", []);
  const customerNumber = r.int(o, "customerNumber", [], { min: 1, max: 999_999_999 });
  const lengths: Record<string, number> = {
    address: 510,
    zip: 30,
    city: 50,
    country: 50,
    email: 255,
    ean: 40,
  };
  for (const key of customerStrings) r.str(o, key, [], { max: lengths[key] ?? 255 });
  const creditLimit = r.decimal(o, "creditLimit", []);
  const barred = r.bool(o, "barred", []);

  const found = await getDocs(ctx.db, ctx.agreement.agreementNumber, [
    { kind: "customerGroup", key: String(customerGroupNumber) },
    { kind: "paymentTerms", key: String(paymentTermsNumber) },
    { kind: "vatZone", key: String(vatZoneNumber) },
    { kind: "layout", key: String(layoutNumber) },
    { kind: "contact", key: String(attentionNumber) },
  ]);
  checkExists(issues, found, [
    ...refCheck("customerGroup", customerGroupNumber, ["customerGroup"]),
    ...refCheck("paymentTerms", paymentTermsNumber, ["paymentTerms"]),
    ...refCheck("vatZone", vatZoneNumber, ["vatZone"]),
    ...refCheck("layout", layoutNumber, ["layout"]),
    ...refCheck("contact", attentionNumber, ["attention"], "customerContact"),
  ]);
  const attention =
    attentionNumber === undefined ? undefined : found.get(refKey("contact", String(attentionNumber)));
  if (attention && attention.parentKey !== String(customerNumberFromUrl ?? customerNumber)) {
    // Another customer's contact person.
    issues.add(
      ["attention"],
      errorCodes.doesNotExist,
      "customerContact does not exist.",
      String(attentionNumber),
    );
  }
  if (issues.any) throw new ApiError(issues.toResponse());

  const data: JsonObject = {
    customerNumber: customerNumberFromUrl ?? customerNumber ?? 0,
    currency: currency!,
    name: name!,
    customerGroup: { customerGroupNumber: customerGroupNumber! },
    paymentTerms: { paymentTermsNumber: paymentTermsNumber! },
    vatZone: { vatZoneNumber: vatZoneNumber! },
  };
  if (layoutNumber !== undefined) data.layout = { layoutNumber };
  if (attentionNumber !== undefined) data.attention = { customerContactNumber: attentionNumber };
  copyStrings(o, data, customerStrings);
  if (creditLimit !== undefined) data.creditLimit = fromScaled(creditLimit);
  if (barred) data.barred = true;
  data.lastUpdated = new Date().toISOString();
  return { data, requestedNumber: customerNumber };
}

export async function createCustomer(ctx: Ctx): Promise<Response> {
  const { data, requestedNumber } = await parseCustomer(ctx, await readJson(ctx.request));
  const agreementNumber = ctx.agreement.agreementNumber;
  const number = await ctx.db.transaction(async (tx) => {
    const n = requestedNumber ?? (await nextFreeNumber(tx, agreementNumber, "customer"));
    data.customerNumber = n;
    const inserted = await insertDocIfAbsent(tx, agreementNumber, "customer", {
      key: String(n),
      sortNumber: n,
      data,
    });
    if (!inserted) {
      throw validationFailed(
        ["customerNumber"],
        errorCodes.alreadyExists,
        `Customer ${n} already exists.`,
        n,
      );
    }
    return n;
  });
  return created(present("customer", { key: String(number), parentKey: null, data }, ctx.base));
}

export async function updateCustomer(ctx: Ctx, key: string): Promise<Response> {
  const n = Number(key);
  const existing = Number.isInteger(n)
    ? await getDoc(ctx.db, ctx.agreement.agreementNumber, "customer", key)
    : undefined;
  if (!existing) throw missing("customer");
  const { data } = await parseCustomer(ctx, await readJson(ctx.request), n);
  if (!(await replaceDoc(ctx.db, ctx.agreement.agreementNumber, "customer", key, data)))
    throw missing("customer");
  return jsonResponse(present("customer", { key, parentKey: null, data }, ctx.base));
}

// ---- customer contacts ----

export async function createContact(ctx: Ctx, customerKey: string): Promise<Response> {
  const customer = await getDoc(ctx.db, ctx.agreement.agreementNumber, "customer", customerKey);
  if (!customer) throw missing("customer");
  const o = bodyObject(await readJson(ctx.request));
  const issues = new Issues();
  const r = new Reader(issues);
  const name = r.str(o, "name", [], { required: true, max: 255 });
  r.str(o, "email", [], { max: 255 });
  r.str(o, "phone", [], { max: 50 });
  r.bool(o, "eInvoiceId", []);
  if (issues.any) throw new ApiError(issues.toResponse());
  const data: JsonObject = { name: name! };
  copyStrings(o, data, ["email", "phone", "notes"]);
  const agreementNumber = ctx.agreement.agreementNumber;
  const number = await ctx.db.transaction(async (tx) => {
    const n = await nextFreeNumber(tx, agreementNumber, "contact");
    data.customerContactNumber = n;
    await insertDocIfAbsent(tx, agreementNumber, "contact", {
      key: String(n),
      sortNumber: n,
      parentKey: customerKey,
      data,
    });
    return n;
  });
  return created(present("contact", { key: String(number), parentKey: customerKey, data }, ctx.base));
}

// ---- customer groups ----

/**
 * `PUT /customer-groups/:n`: the whole group, as PUT replaces the document (economic-api.md); its
 * number is the URL's. Rackbeat's e-conomic client updates a customer group this way
 * (`Rackbeat/laravel-economic` `src/Models/CustomerGroup.php` puttable `customerGroupNumber`, `name`;
 * `src/Utils/Model.php` `update()` → `PUT /customer-groups/{customerGroupNumber}`).
 */
export async function updateCustomerGroup(ctx: Ctx, key: string): Promise<Response> {
  const existing = /^\d+$/.test(key)
    ? await getDoc(ctx.db, ctx.agreement.agreementNumber, "customerGroup", key)
    : undefined;
  if (!existing) throw missing("customerGroup");
  const data = await parseCustomerGroup(ctx, bodyObject(await readJson(ctx.request)), Number(key));
  if (!(await replaceDoc(ctx.db, ctx.agreement.agreementNumber, "customerGroup", key, data)))
    throw missing("customerGroup");
  return jsonResponse(present("customerGroup", { key, parentKey: null, data }, ctx.base));
}

async function parseCustomerGroup(ctx: Ctx, o: Obj, urlNumber?: number): Promise<JsonObject> {
  const issues = new Issues();
  const r = new Reader(issues);
  const number = r.int(o, "customerGroupNumber", [], {
    required: urlNumber === undefined,
    min: 1,
    max: 999_999_999,
  });
  if (urlNumber !== undefined && number !== undefined && number !== urlNumber) {
    throw validationFailed(
      ["customerGroupNumber"],
      errorCodes.invalidValue,
      "customerGroupNumber must match the URL.",
      number,
    );
  }
  const accountNumber = r.ref(o, "account", "accountNumber", [], { required: true });
  const name = r.str(o, "name", [], { max: 50 });
  const layoutNumber = r.ref(o, "layout", "layoutNumber", []);
  const found = await getDocs(ctx.db, ctx.agreement.agreementNumber, [
    { kind: "account", key: String(accountNumber) },
    { kind: "layout", key: String(layoutNumber) },
  ]);
  checkExists(issues, found, [
    ...refCheck("account", accountNumber, ["account"]),
    ...refCheck("layout", layoutNumber, ["layout"]),
  ]);
  if (issues.any) throw new ApiError(issues.toResponse());
  const data: JsonObject = {
    customerGroupNumber: urlNumber ?? number!,
    account: { accountNumber: accountNumber! },
  };
  if (name !== undefined) data.name = name;
  if (layoutNumber !== undefined) data.layout = { layoutNumber };
  return data;
}

export async function createCustomerGroup(ctx: Ctx): Promise<Response> {
  const o = bodyObject(await readJson(ctx.request));
  const data = await parseCustomerGroup(ctx, o);
  const number = data.customerGroupNumber as number;
  const key = String(number);
  const inserted = await insertDocIfAbsent(ctx.db, ctx.agreement.agreementNumber, "customerGroup", {
    key,
    sortNumber: number,
    data,
  });
  if (!inserted) {
    throw validationFailed(
      ["customerGroupNumber"],
      errorCodes.alreadyExists,
      `Customer group ${key} already exists.`,
      number,
    );
  }
  return created(present("customerGroup", { key, parentKey: null, data }, ctx.base));
}

// ---- products ----

export async function createProduct(ctx: Ctx): Promise<Response> {
  const o = bodyObject(await readJson(ctx.request));
  const issues = new Issues();
  const r = new Reader(issues);
  const productNumber = r.str(o, "productNumber", [], { required: true, max: 25 });
  const name = r.str(o, "name", [], { required: true, max: 300 });
  const productGroupNumber = r.ref(o, "productGroup", "productGroupNumber", [], { required: true });
  const unitNumber = r.ref(o, "unit", "unitNumber", []);
  r.str(o, "description", [], { max: 500 });
  const prices = (["salesPrice", "costPrice", "recommendedPrice"] as const).map(
    (key) => [key, r.decimal(o, key, [])] as const,
  );
  const barred = r.bool(o, "barred", []);
  const found = await getDocs(ctx.db, ctx.agreement.agreementNumber, [
    { kind: "productGroup", key: String(productGroupNumber) },
    { kind: "unit", key: String(unitNumber) },
  ]);
  checkExists(issues, found, [
    ...refCheck("productGroup", productGroupNumber, ["productGroup"]),
    ...refCheck("unit", unitNumber, ["unit"]),
  ]);
  if (issues.any) throw new ApiError(issues.toResponse());
  const data: JsonObject = {
    productNumber: productNumber!,
    name: name!,
    productGroup: { productGroupNumber: productGroupNumber! },
  };
  copyStrings(o, data, ["description"]);
  for (const [key, value] of prices) if (value !== undefined) data[key] = fromScaled(value);
  if (unitNumber !== undefined) {
    const unit = found.get(refKey("unit", String(unitNumber)));
    data.unit = { unitNumber, name: String(unit?.data.name ?? "") };
  }
  if (barred) data.barred = true;
  data.lastUpdated = new Date().toISOString();
  const inserted = await insertDocIfAbsent(ctx.db, ctx.agreement.agreementNumber, "product", {
    key: productNumber!,
    data,
  });
  if (!inserted) {
    throw validationFailed(
      ["productNumber"],
      errorCodes.alreadyExists,
      `Product ${productNumber} already exists.`,
      productNumber,
    );
  }
  return created(present("product", { key: productNumber!, parentKey: null, data }, ctx.base));
}

// ---- product groups ----

export async function listSalesAccounts(ctx: Ctx, groupKey: string) {
  const group = await getDoc(ctx.db, ctx.agreement.agreementNumber, "productGroup", groupKey);
  if (!group) throw missing("productGroup");
  const accounts = (group.data._salesAccounts ?? []) as Array<{
    vatZoneNumber: number;
    accountNumber: number;
  }>;
  return accounts.map((a) => ({
    salesAccount: { accountNumber: a.accountNumber, self: `${ctx.base}/accounts/${a.accountNumber}` },
    vatZone: { vatZoneNumber: a.vatZoneNumber, self: `${ctx.base}/vat-zones/${a.vatZoneNumber}` },
  }));
}

/** Projects API: a plain array (unconfirmed: the real API may wrap it); its booleans are always present. */
export function presentProject(data: JsonObject): JsonObject {
  return {
    number: data.number ?? 0,
    name: data.name ?? "",
    customerNumber: data.customerNumber ?? null,
    isClosed: data.isClosed === true,
    isBarred: data.isBarred === true,
  };
}
