import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { type TransferStatus, transferStatusEnum } from "@/db/schema";
import { isRecordKind, parseRecordKey, RECORD_KINDS, type RecordKind } from "@/lib/sync/record-key";
import type { TransferError } from "@/lib/transfer/types";
import { decodeCursor, encodeCursor, type ReviewCursor } from "./cursor";

/**
 * The review page's "Stamdata" view: the company's master-data syncs (lib/sync), newest first,
 * keyset-paginated like the invoices, filtered by kind and status, searched by record number.
 */
export interface RecordFilters {
  kind?: RecordKind;
  status?: TransferStatus;
  /** A record number (exact). */
  q?: string;
  cursor?: ReviewCursor;
}

export interface RecordSyncRow {
  id: string;
  kind: RecordKind;
  number: number;
  status: TransferStatus;
  attempts: number;
  /** e-conomic calls made by all attempts (the call log). */
  calls: number;
  lastError: TransferError | null;
  nextAttemptAt: Date | null;
  updatedAt: Date;
}

export const RECORD_PAGE_SIZE = 50;

/** The filters in a URL's query, ignoring what is not one (a hand-edited link shows more, not an error). */
export function parseRecordParams(params: Record<string, string | string[] | undefined>): RecordFilters {
  const one = (key: string) => {
    const v = params[key];
    return typeof v === "string" ? v.trim() : undefined;
  };
  const kind = one("kind");
  const status = one("status");
  const q = one("q");
  const cursor = decodeCursor(one("cursor"));
  return {
    ...(kind && isRecordKind(kind) ? { kind } : {}),
    ...(status && (transferStatusEnum.enumValues as readonly string[]).includes(status)
      ? { status: status as TransferStatus }
      : {}),
    ...(q && /^\d{1,9}$/.test(q) ? { q } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

export function recordQueryString(filters: RecordFilters): string {
  const params = new URLSearchParams();
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.status) params.set("status", filters.status);
  if (filters.q) params.set("q", filters.q);
  if (filters.cursor) params.set("cursor", encodeCursor(filters.cursor));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export async function listRecordSyncs(
  db: Db,
  companyId: string,
  filters: RecordFilters,
  pageSize = RECORD_PAGE_SIZE,
): Promise<{ rows: RecordSyncRow[]; nextCursor: ReviewCursor | null }> {
  const parts: SQL[] = [sql`t.company_id = ${companyId}::uuid`];
  parts.push(filters.kind ? sql`t.kind = ${filters.kind}` : sql`t.kind <> 'invoice'`);
  if (filters.status) parts.push(sql`t.status = ${filters.status}::transfer_status`);
  if (filters.q) {
    const kinds = filters.kind ? [filters.kind] : RECORD_KINDS;
    const keys = sql.join(
      kinds.map((k) => sql`${`${k}:${Number(filters.q)}`}`),
      sql`, `,
    );
    parts.push(sql`t.rackbeat_invoice_number in (${keys})`);
  }
  if (filters.cursor) {
    parts.push(
      sql`(t.created_at, t.id) < (${filters.cursor.createdAt}::timestamptz, ${filters.cursor.id}::uuid)`,
    );
  }
  const raw = rowsOf<{
    id: string;
    key: string;
    status: TransferStatus;
    attempts: number;
    calls: number;
    last_error: TransferError | null;
    next_attempt_at: string | null;
    updated_at: string;
    created_at: string;
  }>(
    await db.execute(sql`
      select t.id::text as id, t.rackbeat_invoice_number as key, t.status::text as status, t.attempts,
        (select count(*) from economic_calls c where c.transfer_id = t.id)::int as calls,
        t.last_error, t.next_attempt_at, t.updated_at,
        to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
      from transfers t
      where ${sql.join(parts, sql` and `)}
      order by t.created_at desc, t.id desc
      limit ${pageSize + 1}`),
  );
  const more = raw.length > pageSize;
  const page = raw.slice(0, pageSize);
  const rows = page.flatMap((r): RecordSyncRow[] => {
    const record = parseRecordKey(r.key);
    if (!record) return [];
    return [
      {
        id: r.id,
        kind: record.kind,
        number: record.number,
        status: r.status,
        attempts: Number(r.attempts),
        calls: Number(r.calls),
        lastError: r.last_error,
        nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null,
        updatedAt: new Date(r.updated_at),
      },
    ];
  });
  const last = page.at(-1);
  return { rows, nextCursor: more && last ? { createdAt: last.created_at, id: last.id } : null };
}
