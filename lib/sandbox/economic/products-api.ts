import { randomUUID } from "node:crypto";
import type { Ctx } from "./context";
import { ApiError } from "./errors";
import type { JsonObject, JsonValue } from "./schema";
import {
  getDoc,
  getDocs,
  insertDocIfAbsent,
  listDocs,
  lockAgreement,
  refKey,
  replaceDoc,
  type Tx,
} from "./store";
import { isObj, type Obj } from "./validation";

/**
 * e-conomic's Products API (`/productsapi/v1.1.0`), the part that writes product groups: the model
 * Rackbeat's own client uses (`Rackbeat/laravel-economic` `src/Models/ProductGroup.php`,
 * `ProductGroupVatZone.php`; see `lib/economic/product-groups-api.ts` for all sources).
 *
 *   POST productgroups             {id, name, domesticAccountId}          → 201 the group
 *   GET  productgroups[/{id}]      {items:[…]} / the group (with objectVersion)
 *   PUT  productgroups             {id, name, domesticAccountId, objectVersion} → 200 the group
 *   POST productgroups/{id}/zones  {id: vatZoneNumber, accountId}         → 201 the zone
 *   GET  productgroups/{id}/zones  {items:[…]}
 *
 * A group is the same document the REST API reads at `/product-groups/:n` and
 * `/product-groups/:n/sales-accounts` (zone 1 = the domestic account). Unknown properties are
 * refused, so the REST-style body `{number, name, salesAccounts[]}` fails as e-conomic would.
 *
 * Errors use this API's own model, not the REST API's (unconfirmed in its details; the client
 * reads it tolerantly): `{message, status, traceId, errors:[{code, message, property}]}`.
 * Writes honour `Idempotency-Key`: the same key and body answers the first answer again; the same
 * key with another body is refused (422).
 */

type Problem = { code: string; message: string; property?: string };

function problemResponse(status: number, message: string, errors: Problem[]): Response {
  return Response.json({ message, status, traceId: randomUUID().replaceAll("-", ""), errors }, { status });
}

function refuse(status: number, message: string, errors: Problem[] = []): ApiError {
  return new ApiError(problemResponse(status, message, errors));
}

const invalid = (errors: Problem[]) => refuse(400, "The request is invalid.", errors);

async function readBody(request: Request): Promise<Obj> {
  if (!/^application\/(.+\+)?json\b/i.test(request.headers.get("content-type") ?? "")) {
    throw refuse(415, "Unsupported media type.", [
      { code: "UnsupportedMediaType", message: "Send Content-Type: application/json." },
    ]);
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw invalid([{ code: "InvalidJson", message: "The request body is not valid JSON." }]);
  }
  if (!isObj(body)) throw invalid([{ code: "InvalidJson", message: "The request body must be an object." }]);
  return body;
}

/** Every property must be known and of its type; returns the problems found. */
function checkShape(
  body: Obj,
  fields: Record<string, { type: "int" | "string"; required: boolean; max?: number }>,
): Problem[] {
  const problems: Problem[] = [];
  for (const property of Object.keys(body)) {
    if (!(property in fields)) {
      problems.push({ code: "UnknownProperty", message: `Unknown property '${property}'.`, property });
    }
  }
  for (const [property, rule] of Object.entries(fields)) {
    const value = body[property];
    if (value === undefined || value === null) {
      if (rule.required)
        problems.push({ code: "PropertyRequired", message: `'${property}' is required.`, property });
      continue;
    }
    const ok =
      rule.type === "int"
        ? typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 999_999_999
        : typeof value === "string" && value.trim() !== "" && value.length <= (rule.max ?? 255);
    if (!ok) problems.push({ code: "InvalidValue", message: `'${property}' is not valid.`, property });
  }
  return problems;
}

type SalesAccount = { vatZoneNumber: number; accountNumber: number };

function salesAccountsOf(data: JsonObject): SalesAccount[] {
  return (Array.isArray(data._salesAccounts) ? data._salesAccounts : []) as SalesAccount[];
}

function groupOut(data: JsonObject): JsonObject {
  const domestic = salesAccountsOf(data).find((a) => a.vatZoneNumber === 1);
  return {
    id: data.productGroupNumber ?? 0,
    name: data.name ?? "",
    ...(domestic ? { domesticAccountId: domestic.accountNumber } : {}),
    objectVersion: typeof data._objectVersion === "string" ? data._objectVersion : null,
  };
}

/** A revenue account a sale can be posted to: an existing, unbarred profit-and-loss account. */
async function checkAccount(ctx: Ctx, accountNumber: number, property: string): Promise<Problem[]> {
  const account = await getDoc(ctx.db, ctx.agreement.agreementNumber, "account", String(accountNumber));
  if (!account)
    return [{ code: "AccountNotFound", message: `Account ${accountNumber} does not exist.`, property }];
  if (account.data.accountType !== "profitAndLoss" || account.data.barred === true) {
    return [{ code: "AccountNotAllowed", message: `Account ${accountNumber} cannot take sales.`, property }];
  }
  return [];
}

/**
 * Runs a write under its Idempotency-Key: a repeat with the same body answers the stored answer,
 * another body with the same key is refused. Only successes are stored, so a refused request may
 * be corrected and sent again with its key.
 */
async function idempotent(ctx: Ctx, body: Obj, write: () => Promise<Response>): Promise<Response> {
  const key = ctx.request.headers.get("idempotency-key")?.trim();
  if (!key) return write();
  const fingerprint = `${ctx.request.method} ${ctx.url.pathname} ${JSON.stringify(body)}`;
  const stored = await getDoc(ctx.db, ctx.agreement.agreementNumber, "idempotency", key);
  if (stored) {
    if (stored.data.fingerprint !== fingerprint) {
      throw refuse(422, "The Idempotency-Key was used for another request.", [
        { code: "IdempotencyKeyReused", message: "Use a new key for a different request." },
      ]);
    }
    return Response.json(stored.data.body, { status: Number(stored.data.status) });
  }
  const response = await write();
  if (response.ok) {
    const answer = (await response.clone().json()) as JsonValue;
    await insertDocIfAbsent(ctx.db, ctx.agreement.agreementNumber, "idempotency", {
      key,
      data: { fingerprint, status: response.status, body: answer },
    });
  }
  return response;
}

export async function createProductsApiGroup(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx.request);
  return idempotent(ctx, body, async () => {
    const problems = checkShape(body, {
      id: { type: "int", required: true },
      name: { type: "string", required: true, max: 50 },
      domesticAccountId: { type: "int", required: true },
      objectVersion: { type: "string", required: false },
    });
    if (problems.length === 0)
      problems.push(...(await checkAccount(ctx, body.domesticAccountId as number, "domesticAccountId")));
    if (problems.length > 0) throw invalid(problems);
    const id = body.id as number;
    const data: JsonObject = {
      productGroupNumber: id,
      name: body.name as string,
      _salesAccounts: [{ vatZoneNumber: 1, accountNumber: body.domesticAccountId as number }],
      _objectVersion: randomUUID(),
    };
    const inserted = await insertDocIfAbsent(ctx.db, ctx.agreement.agreementNumber, "productGroup", {
      key: String(id),
      sortNumber: id,
      data,
    });
    if (!inserted) {
      throw refuse(409, "A product group with this id already exists.", [
        { code: "DuplicateId", message: `Product group ${id} already exists.`, property: "id" },
      ]);
    }
    return Response.json(groupOut(data), { status: 201 });
  });
}

/**
 * `PUT productgroups`: the whole group, its `id` in the body, guarded by `objectVersion` (a stale
 * one is refused with 409). Rackbeat's client updates a Products API model this way
 * (`Rackbeat/laravel-economic` `src/Utils/Model.php` `getUpdateEndpoint()`: `{rest_version}/{entity}`
 * without the id for the newer APIs; `src/Models/ProductGroup.php` `objectVersion`).
 */
export async function updateProductsApiGroup(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx.request);
  const problems = checkShape(body, {
    id: { type: "int", required: true },
    name: { type: "string", required: true, max: 50 },
    domesticAccountId: { type: "int", required: true },
    objectVersion: { type: "string", required: false },
  });
  if (problems.length === 0)
    problems.push(...(await checkAccount(ctx, body.domesticAccountId as number, "domesticAccountId")));
  if (problems.length > 0) throw invalid(problems);
  const group = await loadGroup(ctx, String(body.id));
  // The version read must be sent back (`objectVersion: string | null` in the model: a group that
  // has none, as the sandbox's seeded ones, takes none).
  if ((group.data._objectVersion ?? null) !== (body.objectVersion ?? null)) {
    throw refuse(409, "The product group was changed by someone else.", [
      { code: "ObjectVersionMismatch", message: "Read the group again.", property: "objectVersion" },
    ]);
  }
  const accounts = salesAccountsOf(group.data).filter((a) => a.vatZoneNumber !== 1);
  const data: JsonObject = {
    ...group.data,
    name: body.name as string,
    _salesAccounts: [{ vatZoneNumber: 1, accountNumber: body.domesticAccountId as number }, ...accounts],
    _objectVersion: randomUUID(),
  };
  await replaceDoc(ctx.db, ctx.agreement.agreementNumber, "productGroup", String(body.id), data);
  return Response.json(groupOut(data));
}

async function loadGroup(ctx: Ctx, id: string) {
  const group = /^\d+$/.test(id)
    ? await getDoc(ctx.db, ctx.agreement.agreementNumber, "productGroup", id)
    : undefined;
  if (!group) {
    throw refuse(404, "Product group not found.", [
      { code: "NotFound", message: `Product group ${id} does not exist.`, property: "id" },
    ]);
  }
  return group;
}

export async function getProductsApiGroup(ctx: Ctx, id: string): Promise<Response> {
  return Response.json(groupOut((await loadGroup(ctx, id)).data));
}

export async function listProductsApiGroups(ctx: Ctx): Promise<Response> {
  const { rows } = await listDocs(ctx.db, ctx.agreement.agreementNumber, "productGroup", {
    skip: 0,
    size: 1000,
  });
  return Response.json({ items: rows.map((r) => groupOut(r.data)) });
}

export async function listProductsApiZones(ctx: Ctx, id: string): Promise<Response> {
  const group = await loadGroup(ctx, id);
  const items = salesAccountsOf(group.data)
    .filter((a) => a.vatZoneNumber !== 1)
    .map((a) => ({ id: a.vatZoneNumber, accountId: a.accountNumber }));
  return Response.json({ items });
}

export async function createProductsApiZone(ctx: Ctx, id: string): Promise<Response> {
  const body = await readBody(ctx.request);
  return idempotent(ctx, body, async () => {
    const group = await loadGroup(ctx, id);
    const problems = checkShape(body, {
      id: { type: "int", required: true },
      accountId: { type: "int", required: true },
    });
    if (problems.length === 0) {
      const zone = body.id as number;
      const found = await getDocs(ctx.db, ctx.agreement.agreementNumber, [
        { kind: "vatZone", key: String(zone) },
      ]);
      if (!found.has(refKey("vatZone", String(zone))) || zone === 1) {
        // Zone 1 is the group's domesticAccountId, set on the group itself.
        problems.push({
          code: "InvalidValue",
          message: `VAT zone ${zone} cannot be set here.`,
          property: "id",
        });
      }
      problems.push(...(await checkAccount(ctx, body.accountId as number, "accountId")));
    }
    if (problems.length > 0) throw invalid(problems);
    const zone = { vatZoneNumber: body.id as number, accountNumber: body.accountId as number };
    const agreementNumber = ctx.agreement.agreementNumber;
    await ctx.db.transaction(async (tx: Tx) => {
      // Under the agreement's lock, so two zones written at once both stay.
      await lockAgreement(tx, agreementNumber);
      const current = (await getDoc(tx, agreementNumber, "productGroup", id))?.data ?? group.data;
      const accounts = salesAccountsOf(current);
      if (accounts.some((a) => a.vatZoneNumber === zone.vatZoneNumber)) {
        throw refuse(409, "The product group has this VAT zone already.", [
          { code: "DuplicateId", message: `VAT zone ${zone.vatZoneNumber} is set already.`, property: "id" },
        ]);
      }
      await replaceDoc(tx, agreementNumber, "productGroup", id, {
        ...current,
        _salesAccounts: [...accounts, zone].sort((x, y) => x.vatZoneNumber - y.vatZoneNumber),
        _objectVersion: randomUUID(),
      });
    });
    return Response.json({ id: zone.vatZoneNumber, accountId: zone.accountNumber }, { status: 201 });
  });
}
