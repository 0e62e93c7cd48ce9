import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import type { TransferSource, TransferStatus } from "@/db/schema";
import type { ReceivedEvent } from "@/lib/transfer/queue";
import { notifyQueuedSql } from "@/lib/transfer/wakeup";
import { type RecordRef, recordKey } from "./record-key";

export interface EnqueueRecordInput {
  companyId: string;
  record: RecordRef;
  /** The webhook delivery that named the record; none for the first sync. */
  event?: ReceivedEvent;
  source?: TransferSource;
  /** How long a new sync waits for more changes to the record (default RECORD_SETTLE_MS). */
  settleMs?: number;
}

/**
 * A record's sync waits until its record has been quiet this long, so a burst of changes (an
 * import, a user saving a form field by field) makes one e-conomic write of the last state; but
 * never longer than RECORD_MAX_WAIT_MS after it was queued, so a record changed continuously still
 * syncs every few seconds.
 */
export const RECORD_SETTLE_MS = 1_000;
export const RECORD_MAX_WAIT_MS = 5_000;

export interface EnqueueRecordResult {
  transferId: string;
  status: TransferStatus;
  /** True when this call made the row (the record's first sync). */
  created: boolean;
}

/**
 * Queues a sync of one master-data record. One row per record (its key is `<kind>:<number>`), so a
 * burst of events collapses: while the row is queued another event only moves its due time (see
 * RECORD_SETTLE_MS); a synced or failed row is queued again with a fresh retry budget; a row being
 * processed gets `resync_requested`, and the queue re-queues it when that attempt completes. Each
 * sync fetches the record's latest state from Rackbeat, so the last change always wins and a
 * `created` then `updated` of one record apply in order (one row is never processed twice at once).
 * The received event is stored in the same statement.
 */
export async function enqueueRecordSync(db: Db, input: EnqueueRecordInput): Promise<EnqueueRecordResult> {
  const { companyId, record, event } = input;
  const source = input.source ?? "webhook";
  const eventInsert = event
    ? sql`, e as (
        insert into webhook_events (company_id, transfer_id, event, key, headers, body)
        select ${companyId}::uuid, t.id, ${event.event}, ${event.key}, ${JSON.stringify(
          event.headers,
        )}::jsonb, ${JSON.stringify(event.body)}::jsonb from t
      )`
    : sql``;
  const due = dueIn(input.settleMs ?? RECORD_SETTLE_MS);
  const [row] = rowsOf<{ id: string; status: TransferStatus; created: boolean }>(
    await db.execute(sql`
      with t as (
        insert into transfers (company_id, rackbeat_invoice_number, kind, source, next_attempt_at)
        values (${companyId}::uuid, ${recordKey(record)}, ${record.kind}, ${source}, ${due.at})
        ${collapseOnConflict(due)}
        returning id, status, (xmax = 0) as created
      )${eventInsert}
      select id, status::text as status, created from t`),
  );
  if (!row) throw new Error("record sync was not queued");
  return { transferId: row.id, status: row.status, created: Boolean(row.created) };
}

function dueIn(settleMs: number) {
  const ms = Math.max(0, Math.round(settleMs));
  return { ms, at: sql`now() + ${ms}::int * interval '1 millisecond'` };
}

/** The one rule for an event about a record that has a row already (see enqueueRecordSync). */
function collapseOnConflict(due: ReturnType<typeof dueIn>) {
  const busy = sql`transfers.status = 'processing'`;
  const queued = sql`transfers.status = 'queued'`;
  // A queued row's updated_at is when it was queued (left alone below), which bounds the wait.
  const latest = sql`transfers.updated_at + ${Math.max(due.ms, RECORD_MAX_WAIT_MS)}::int * interval '1 millisecond'`;
  return sql`on conflict (company_id, rackbeat_invoice_number) do update set
    status = case when ${busy} then transfers.status else 'queued'::transfer_status end,
    resync_requested = transfers.resync_requested or ${busy},
    next_attempt_at = case
      when ${busy} then transfers.next_attempt_at
      when ${queued} then greatest(transfers.next_attempt_at, least(${due.at}, ${latest}))
      else ${due.at} end,
    retry_base_attempts = case when ${busy} then transfers.retry_base_attempts else transfers.attempts end,
    last_error = case when ${busy} then transfers.last_error else null end,
    skip_reason = case when ${busy} then transfers.skip_reason else null end,
    updated_at = case when ${queued} then transfers.updated_at else now() end`;
}

/**
 * Queues many records at once (the first sync), by the same rule, due at once; in batches of 500.
 * Returns how many rows were written.
 */
export async function enqueueRecordSyncs(
  db: Db,
  companyId: string,
  records: RecordRef[],
  source: TransferSource = "first_sync",
): Promise<number> {
  const keys = [...new Map(records.map((r) => [recordKey(r), r])).values()];
  let n = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const batch = keys.slice(i, i + 500);
    const values = sql.join(
      batch.map((r) => sql`(${companyId}::uuid, ${recordKey(r)}, ${r.kind}, ${source}, now())`),
      sql`, `,
    );
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`
        with t as (
          insert into transfers (company_id, rackbeat_invoice_number, kind, source, next_attempt_at)
          values ${values}
          ${collapseOnConflict(dueIn(0))}
          returning id, company_id
        )
        -- Due at once: the workers of every process are told (lib/transfer/wakeup.ts), on commit.
        select count(*)::int as n, max(${notifyQueuedSql(sql`company_id`)}) as notified from t`),
    );
    n += Number(row?.n ?? 0);
  }
  return n;
}
