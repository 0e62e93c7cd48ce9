import "server-only";
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { economicKnown } from "@/db/schema";
import type { CustomerSnapshot, KnownMasterData } from "./plan-types";
import { customerContactKey } from "./plan-types";

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
}

export type LoadedKnown = KnownMasterData & { productDetails: Map<string, KnownProduct> };

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
  const known = emptyKnown();
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
    }
  }
  return known;
}

function rowOf({ companyId, agreement }: KnownOwner, entry: KnownEntry) {
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
  const rows = new Map<string, ReturnType<typeof rowOf>>();
  for (const entry of entries) {
    const row = rowOf(owner, entry);
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
 * Forgets entries e-conomic turned out not to have (someone deleted the record there, or the cache
 * is wrong), so they are created again.
 */
export async function forgetKnownMasterData(
  db: Db,
  owner: KnownOwner,
  entries: { kind: KnownKind; key: string }[],
): Promise<void> {
  if (entries.length === 0) return;
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
