/**
 * The kinds of work the durable queue (`transfers`) carries, and how a master-data record is keyed
 * there. An invoice keeps its Rackbeat invoice number as its key; a customer, customer group or
 * product group is keyed `<kind>:<number>`, so the unique index (company, key), the reconciliation
 * sweep and the backfill, which look transfers up by invoice number, can never mistake customer 1001
 * for invoice 1001.
 */

export const RECORD_KINDS = ["customer", "customer_group", "product_group"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export type SyncKind = "invoice" | RecordKind;

export type RecordAction = "created" | "updated";

/** A Rackbeat record number: a whole number (e-conomic's numbers are 1..999999999). */
const RECORD_NUMBER = /^[1-9]\d{0,8}$/;

export interface RecordRef {
  kind: RecordKind;
  number: number;
}

export function isRecordKind(value: string): value is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(value);
}

/** The queue key of a record: `customer:1001`. */
export function recordKey(ref: RecordRef): string {
  return `${ref.kind}:${ref.number}`;
}

/** The record a queue key names, or null for an invoice's key. */
export function parseRecordKey(key: string): RecordRef | null {
  const colon = key.indexOf(":");
  if (colon < 0) return null;
  const kind = key.slice(0, colon);
  const number = key.slice(colon + 1);
  if (!isRecordKind(kind) || !RECORD_NUMBER.test(number)) return null;
  return { kind, number: Number(number) };
}

/** A webhook key (Rackbeat sends `{"key_name":"number","key":…}`) as a record number, or null. */
export function recordNumberOf(key: string): number | null {
  return RECORD_NUMBER.test(key.trim()) ? Number(key.trim()) : null;
}

/**
 * Rackbeat's event names for master data, per kind and action. Rackbeat's catalog names events
 * `entity.action` (rackbeat-api.md, "Webhooks"); the exact names of these six are unconfirmed, so
 * each is a setting (`company_integrations.rackbeat_record_events`) defaulting to these.
 */
export type RecordEventNames = Record<`${RecordKind}.${RecordAction}`, string>;

export const DEFAULT_RECORD_EVENTS: Readonly<RecordEventNames> = Object.freeze({
  "customer.created": "customer.created",
  "customer.updated": "customer.updated",
  "customer_group.created": "customer_group.created",
  "customer_group.updated": "customer_group.updated",
  "product_group.created": "product_group.created",
  "product_group.updated": "product_group.updated",
});

/** The configured names over the defaults (a stored map may lack names added later). */
export function recordEventNames(stored: Partial<RecordEventNames> | null | undefined): RecordEventNames {
  return { ...DEFAULT_RECORD_EVENTS, ...(stored ?? {}) };
}

/** The record kind a received event name stands for under `names`, or null. */
export function recordKindOfEvent(names: RecordEventNames, event: string): RecordKind | null {
  for (const [slot, name] of Object.entries(names)) {
    if (name === event) return slot.slice(0, slot.indexOf(".")) as RecordKind;
  }
  return null;
}
