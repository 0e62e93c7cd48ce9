import { type SQL, sql } from "drizzle-orm";
import { CUSTOMER_NAME_KEY_LENGTH } from "@/lib/review/customers";
import type { DraftRef, KnownRow, UnsavedWrites } from "./unsaved-writes";

/**
 * The SQL of an attempt's unsaved writes (unsaved-writes.ts), as common table expressions of the one
 * statement that writes the transfer row (queue.ts `writeLeased`, `completeTransfer`): each writes
 * only when that row's fenced update did (`exists (select 1 from <fence>)`), so a worker that lost
 * its lease writes nothing at all.
 */

/**
 * A claim younger than this on a number e-conomic has just issued to us may be another transfer's
 * adoption in progress (it found our draft before we claimed it): we leave it. An older one names a
 * draft that was since deleted or booked, whose number e-conomic reuses.
 */
export const FRESH_CLAIM_TAKEOVER_MS = 60_000;

/**
 * Claims a draft for the transfer (`returning transfer_id` when it holds it afterwards), only when
 * `condition` holds. `fresh`: e-conomic has just created the draft in answer to this transfer's own
 * POST, so an old claim on the number is stale and is taken over.
 */
export function draftClaimInsert(
  scope: { companyId: string; transferId: string },
  draft: DraftRef,
  options: { fresh: boolean; condition?: SQL },
): SQL {
  const takeOver = options.fresh
    ? sql`economic_draft_claims.claimed_at < now() - ${FRESH_CLAIM_TAKEOVER_MS}::int * interval '1 millisecond'`
    : sql`false`;
  return sql`
    insert into economic_draft_claims (company_id, agreement, draft_number, transfer_id)
    select ${scope.companyId}::uuid, ${draft.agreement}, ${draft.draftNumber}::int, ${scope.transferId}::uuid
    where ${options.condition ?? sql`true`}
    on conflict (company_id, agreement, draft_number) do update
      set transfer_id = excluded.transfer_id, claimed_at = now()
      where economic_draft_claims.transfer_id = excluded.transfer_id or ${takeOver}
    returning transfer_id`;
}

/** The newest row of each (kind, key): one insert may not touch a row twice. */
function latestKnown(rows: KnownRow[]): KnownRow[] {
  const byKey = new Map<string, KnownRow>();
  for (const row of rows) byKey.set(`${row.companyId}|${row.agreement}|${row.kind}|${row.key}`, row);
  return [...byKey.values()];
}

/**
 * `name as (…)` expressions writing everything in `unsaved` but the row's columns and a draft claim
 * (which conditions the row's update itself: queue.ts), each only when `fence` returned a row.
 */
export function sideWriteCtes(
  unsaved: UnsavedWrites,
  transfer: { id: string; companyId: string },
  fence: string,
): SQL[] {
  const wrote = sql.raw(`exists (select 1 from ${fence})`);
  const ctes: SQL[] = [];
  const { customer } = unsaved;
  if (customer) {
    // As recordTransferCustomer (lib/review/customers.ts): an already known pair only moves its
    // last-seen time forward.
    ctes.push(sql`seen_customer as (
      insert into transfer_customers (company_id, customer_number, customer_name, last_seen_at)
      select ${transfer.companyId}::uuid, ${customer.customerNumber},
        left(${customer.customerName}, ${CUSTOMER_NAME_KEY_LENGTH}), now()
      where ${wrote}
      on conflict (company_id, customer_number, customer_name) do update
        set last_seen_at = greatest(transfer_customers.last_seen_at, excluded.last_seen_at))`);
  }
  const known = latestKnown(unsaved.known);
  if (known.length > 0) {
    const values = sql.join(
      known.map(
        (r) =>
          sql`(${r.companyId}::uuid, ${r.agreement}::text, ${r.kind}::text, ${r.key}::text, ${
            r.data === null || r.data === undefined ? null : JSON.stringify(r.data)
          }::jsonb)`,
      ),
      sql`, `,
    );
    // As recordKnownMasterData (known-master-data.ts): the newest data wins.
    ctes.push(sql`known_entries as (
      insert into economic_known (company_id, agreement, kind, key, data, updated_at)
      select v.company_id, v.agreement, v.kind, v.key, v.data, now()
      from (values ${values}) as v(company_id, agreement, kind, key, data)
      where ${wrote}
      on conflict (company_id, agreement, kind, key) do update
        set data = excluded.data, updated_at = now())`);
  }
  if (unsaved.calls.length > 0) {
    const values = sql.join(
      unsaved.calls.map(
        (c) =>
          sql`(${c.transferId}::uuid, ${c.attempt}::int, ${c.method}::text, ${c.path}::text, ${c.status}::int, ${c.durationMs}::int, ${c.error}::text)`,
      ),
      sql`, `,
    );
    ctes.push(sql`call_log as (
      insert into economic_calls (transfer_id, attempt, method, path, status, duration_ms, error)
      select v.transfer_id, v.attempt, v.method, v.path, v.status, v.duration_ms, v.error
      from (values ${values}) as v(transfer_id, attempt, method, path, status, duration_ms, error)
      where ${wrote})`);
  }
  const release = unsaved.releaseDraft;
  if (release) {
    // Booking deleted the draft (or it was deleted in e-conomic): its number may be issued again.
    ctes.push(sql`released_draft as (
      delete from economic_draft_claims
      where company_id = ${transfer.companyId}::uuid and agreement = ${release.agreement}
        and draft_number = ${release.draftNumber}::int and transfer_id = ${transfer.id}::uuid
        and ${wrote})`);
  }
  return ctes;
}
