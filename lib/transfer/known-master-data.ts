import "server-only";
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { economicKnown } from "@/db/schema";
import type { CustomerSnapshot, KnownMasterData } from "./plan-types";
import { customerContactKey } from "./plan-types";
import type { ClaimedTransfer } from "./types";
import { type KnownRow, unsavedOf } from "./unsaved-writes";

/**
 * The cache of master data known to exist in a company's e-conomic agreement (`economic_known`), so
 * a repeat customer with known products costs no look-ups. Keyed by agreement: after connecting
 * another agreement nothing is known (and the cache is primed afresh). Only the rows one invoice needs are loaded: a
 * company with thousands of products must not read them all per transfer.
 *
 * Kinds and keys:
 *   customerGroup   "<number>"
 *   customer        "<number>"            data: CustomerSnapshot as last written or read
 *   customerContact "<customer>|<name>"   data: { customerContactNumber }
 *   productGroup    "<number>"
 *   product         "<productNumber>"     data: { groupNumber, unit? } (so Rackbeat need not be asked again)
 *   paymentTerms    "<number>"            data: { type, daysOfCredit } (due-date terms get a dueDate)
 */
export type KnownKind =
  | "customerGroup"
  | "customer"
  | "customerContact"
  | "productGroup"
  | "product"
  | "paymentTerms";

/** Whose cache: one company's, for one e-conomic agreement (`agreementKeyOf`). */
export interface KnownOwner {
  companyId: string;
  agreement: string;
}

export type KnownProduct = { groupNumber: number; unit?: string };

export type KnownEntry =
  | { kind: "customerGroup"; key: number }
  | { kind: "customer"; key: number; data: CustomerSnapshot }
  | { kind: "customerContact"; customerNumber: number; name: string; contactNumber: number }
  | { kind: "productGroup"; key: number }
  | { kind: "product"; key: string; data: KnownProduct }
  | { kind: "paymentTerms"; key: number; data: { type: string; daysOfCredit: number } };

export interface KnownQuery {
  customerGroups: number[];
  customers: number[];
  /** Contact keys from `customerContactKey`. */
  customerContacts: string[];
  productGroups: number[];
  products: string[];
  paymentTerms: number[];
  /** Every contact cached for these customers (a customer has a few), whatever their names. */
  contactsOfCustomers?: number[];
  /**
   * The groups of the `products` whose details are cached, read in the same query; every group when
   * one of them has none (its group is learnt from Rackbeat after the read).
   */
  groupsOfProducts?: boolean;
  /** The priming marker (prime-master-data.ts): `primed` tells whether it says done. */
  primedMarker?: { kind: string };
}

export type LoadedKnown = KnownMasterData & {
  productDetails: Map<string, KnownProduct>;
  /** Asked for with `primedMarker`: whether the cache was primed for the agreement. */
  primed?: boolean;
};

export function emptyKnown(): LoadedKnown {
  return {
    customerGroups: new Set(),
    customers: new Map(),
    productGroups: new Set(),
    products: new Set(),
    customerContacts: new Map(),
    dueDatePaymentTerms: new Set(),
    paymentTermsDays: new Map(),
    productDetails: new Map(),
  };
}

export async function loadKnownMasterData(
  db: Db,
  owner: KnownOwner,
  query: KnownQuery,
): Promise<LoadedKnown> {
  const wanted: [KnownKind, string[]][] = [
    ["customerGroup", query.customerGroups.map(String)],
    ["customer", query.customers.map(String)],
    ["customerContact", query.customerContacts],
    ["productGroup", query.productGroups.map(String)],
    ["product", query.products],
    ["paymentTerms", query.paymentTerms.map(String)],
  ];
  const conditions = wanted
    .filter(([, keys]) => keys.length > 0)
    .map(([kind, keys]) => and(eq(economicKnown.kind, kind), inArray(economicKnown.key, [...new Set(keys)])));
  for (const customer of new Set(query.contactsOfCustomers ?? [])) {
    conditions.push(
      and(
        eq(economicKnown.kind, "customerContact"),
        sql`starts_with(${economicKnown.key}, ${customerContactKey(customer, "")})`,
      ),
    );
  }
  if (query.groupsOfProducts && query.products.length > 0) {
    // The products' cached details name their groups: those come in the same read. A product without
    // details (new to the cache) gets its group from Rackbeat only later: then every group comes.
    const products = sql.join(
      [...new Set(query.products)].map((n) => sql`${n}::text`),
      sql`, `,
    );
    const detailed = sql`select p.key, p.data->>'groupNumber' as group_number from economic_known p
      where p.company_id = ${owner.companyId}::uuid and p.agreement = ${owner.agreement}
        and p.kind = 'product' and p.data->>'groupNumber' is not null`;
    conditions.push(
      and(
        eq(economicKnown.kind, "productGroup"),
        sql`(${economicKnown.key} in (select d.group_number from (${detailed}) d where d.key in (${products}))
          or exists (select 1 from unnest(array[${products}]) as n(key)
            where n.key not in (select d.key from (${detailed}) d)))`,
      ),
    );
  }
  if (query.primedMarker) {
    conditions.push(
      and(eq(economicKnown.kind, query.primedMarker.kind), eq(economicKnown.key, owner.agreement)),
    );
  }
  const known = emptyKnown();
  if (query.primedMarker) known.primed = false;
  if (conditions.length === 0) return known;
  const rows = await db
    .select({ kind: economicKnown.kind, key: economicKnown.key, data: economicKnown.data })
    .from(economicKnown)
    .where(
      and(
        eq(economicKnown.companyId, owner.companyId),
        eq(economicKnown.agreement, owner.agreement),
        or(...conditions),
      ),
    );
  for (const row of rows) {
    const data = (row.data ?? {}) as Record<string, unknown>;
    switch (row.kind as KnownKind) {
      case "customerGroup":
        known.customerGroups.add(Number(row.key));
        break;
      case "customer":
        known.customers.set(Number(row.key), data as unknown as CustomerSnapshot);
        break;
      case "customerContact":
        if (typeof data.customerContactNumber === "number") {
          known.customerContacts.set(row.key, data.customerContactNumber);
        }
        break;
      case "productGroup":
        known.productGroups.add(Number(row.key));
        break;
      case "product":
        known.products.add(row.key);
        if (typeof data.groupNumber === "number") {
          known.productDetails.set(row.key, {
            groupNumber: data.groupNumber,
            ...(typeof data.unit === "string" ? { unit: data.unit } : {}),
          });
        }
        break;
      case "paymentTerms":
        if (data.type === "dueDate") known.dueDatePaymentTerms?.add(Number(row.key));
        known.paymentTermsDays?.set(
          Number(row.key),
          typeof data.daysOfCredit === "number" ? data.daysOfCredit : 0,
        );
        break;
      default:
        if (query.primedMarker && row.kind === query.primedMarker.kind) known.primed = data.state === "done";
    }
  }
  return known;
}

/** The `economic_known` row of an entry. */
export function knownRowOf({ companyId, agreement }: KnownOwner, entry: KnownEntry): KnownRow {
  switch (entry.kind) {
    case "customerContact":
      return {
        companyId,
        agreement,
        kind: entry.kind,
        key: customerContactKey(entry.customerNumber, entry.name),
        data: { customerContactNumber: entry.contactNumber },
      };
    case "customerGroup":
    case "productGroup":
      return { companyId, agreement, kind: entry.kind, key: String(entry.key), data: null };
    default:
      return { companyId, agreement, kind: entry.kind, key: String(entry.key), data: entry.data };
  }
}

/** Upserts what was created or found in e-conomic; the newest data wins. */
export async function recordKnownMasterData(db: Db, owner: KnownOwner, entries: KnownEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = new Map<string, KnownRow>();
  for (const entry of entries) {
    const row = knownRowOf(owner, entry);
    rows.set(`${row.kind}|${row.key}`, row);
  }
  await db
    .insert(economicKnown)
    .values([...rows.values()])
    .onConflictDoUpdate({
      target: [economicKnown.companyId, economicKnown.agreement, economicKnown.kind, economicKnown.key],
      set: { data: sql`excluded.data`, updatedAt: sql`now()` },
    });
}

/**
 * Adds what was created or found in e-conomic to the attempt's unsaved writes (unsaved-writes.ts):
 * written, like `recordKnownMasterData`, with the next write of the transfer row.
 */
export function stageKnownMasterData(
  transfer: Pick<ClaimedTransfer, "unsaved">,
  owner: KnownOwner,
  entries: KnownEntry[],
): void {
  if (entries.length === 0) return;
  unsavedOf(transfer).known.push(...entries.map((entry) => knownRowOf(owner, entry)));
}

/**
 * Forgets entries e-conomic turned out not to have (someone deleted the record there, or the cache
 * is wrong), so they are created again.
 */
export async function forgetKnownMasterData(
  db: Db,
  owner: KnownOwner,
  entries: { kind: KnownKind; key: string }[],
  transfer?: Pick<ClaimedTransfer, "unsaved">,
): Promise<void> {
  if (entries.length === 0) return;
  if (transfer?.unsaved) {
    // Nor may an entry this attempt has not written yet bring them back.
    const gone = new Set(entries.map((e) => `${e.kind}|${e.key}`));
    const keep = transfer.unsaved.known.filter((r) => !gone.has(`${r.kind}|${r.key}`));
    transfer.unsaved.known.splice(0, transfer.unsaved.known.length, ...keep);
  }
  await db
    .delete(economicKnown)
    .where(
      and(
        eq(economicKnown.companyId, owner.companyId),
        eq(economicKnown.agreement, owner.agreement),
        or(...entries.map((e) => and(eq(economicKnown.kind, e.kind), eq(economicKnown.key, e.key)))),
      ),
    );
}
