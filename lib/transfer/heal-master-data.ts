import { missingReferences } from "@/lib/economic/refusals";
import type { KnownKind, LoadedKnown } from "./known-master-data";

/**
 * When e-conomic refuses a request because a record the cache says exists does not (a bookkeeper
 * deleted the customer or product, or the cache is wrong), the engine forgets the record, plans
 * again (so the plan creates it) and carries on in the same attempt. Pure: which records to forget.
 */

export type MissingRecord = { kind: KnownKind; key: string };

/** The request fields that reference cached master data, and the kind each names. */
const kindOfField: Record<string, KnownKind> = {
  customer: "customer",
  customerGroup: "customerGroup",
  customerContact: "customerContact",
  productGroup: "productGroup",
  product: "product",
  paymentTerms: "paymentTerms",
};

/** The keys of one kind this invoice's cache holds (`known` holds only the invoice's records). */
function knownKeys(known: LoadedKnown, kind: KnownKind): string[] {
  switch (kind) {
    case "customer":
      return [...known.customers.keys()].map(String);
    case "customerGroup":
      return [...known.customerGroups].map(String);
    case "customerContact":
      return [...known.customerContacts.keys()];
    case "productGroup":
      return [...known.productGroups].map(String);
    case "product":
      return [...known.products];
    case "paymentTerms":
      return [...(known.dueDatePaymentTerms ?? [])].map(String);
  }
}

/**
 * The cached records an e-conomic refusal names as missing. e-conomic quotes the number it could
 * not find (`value`); a contact is cached by customer and name, not number, and a refusal without
 * a value names no key, so then every record of that kind the invoice uses is forgotten.
 * Empty when the error is no such refusal, or names only things the engine does not create (layout).
 */
export function missingMasterData(error: unknown, known: LoadedKnown): MissingRecord[] {
  const out = new Map<string, MissingRecord>();
  for (const ref of missingReferences(error)) {
    const kind = kindOfField[ref.field];
    if (!kind) continue;
    const keys = kind === "customerContact" || ref.value === undefined ? knownKeys(known, kind) : [ref.value];
    for (const key of keys) out.set(`${kind}:${key}`, { kind, key });
  }
  return [...out.values()];
}

/** Removes the records from the invoice's loaded cache, so planning again creates them. */
export function withoutRecords(known: LoadedKnown, records: MissingRecord[]): void {
  for (const { kind, key } of records) {
    switch (kind) {
      case "customer":
        known.customers.delete(Number(key));
        break;
      case "customerGroup":
        known.customerGroups.delete(Number(key));
        break;
      case "customerContact":
        known.customerContacts.delete(key);
        break;
      case "productGroup":
        known.productGroups.delete(Number(key));
        break;
      case "product":
        known.products.delete(key);
        break;
      case "paymentTerms":
        known.dueDatePaymentTerms?.delete(Number(key));
        break;
    }
  }
}

/** The checkpoint's "done" marks of the records (`<kind>:<key>`), so their steps run again. */
export function doneMarksOf(records: MissingRecord[]): Set<string> {
  return new Set(records.map((r) => `${r.kind}:${r.key}`));
}
