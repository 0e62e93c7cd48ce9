import { type SQL, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import type { TransferStatus } from "@/db/schema";
import { encodeCursor, isUuid } from "./cursor";
import { nextDay, startOfDanishDay } from "./dates";
import { type ReviewFilters, transferStatuses } from "./filters";

/**
 * The review page's reads. Every query is scoped to one company and costs what a page costs, not
 * what the company's history costs: lists walk an index in (created_at, id) order and stop after a
 * page; counts stop at a cap. See bench/review.ts for the figures at a million rows.
 */

export const REVIEW_PAGE_SIZE = 50;
/** Counts above this show as "1.000+": an exact count of a million rows costs a million rows. */
export const STATUS_COUNT_CAP = 1000;
/** pg_trgm needs three characters to use its index; shorter terms match numbers only. */
export const MIN_NAME_FRAGMENT = 3;

export interface ReviewRow {
  id: string;
  rackbeatInvoiceNumber: string;
  orderNumber: string | null;
  customerNumber: string | null;
  customerName: string | null;
  /** YYYY-MM-DD */
  invoiceDate: string | null;
  currency: string | null;
  /** Exact decimal string. */
  netAmount: string | null;
  vatAmount: string | null;
  grossAmount: string | null;
  economicNetAmount: string | null;
  economicVatAmount: string | null;
  economicGrossAmount: string | null;
  amountMismatch: boolean;
  status: TransferStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  economicDraftNumber: number | null;
  economicBookedNumber: number | null;
  sentBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReviewPage {
  rows: ReviewRow[];
  /** Opaque cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

/** Timestamps leave the database as text with microseconds, the same on postgres.js and PGlite. */
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const listColumns = sql`t.id::text as id, t.rackbeat_invoice_number, t.order_number, t.customer_number,
  t.customer_name, t.invoice_date::text as invoice_date, t.currency, t.net_amount::text as net_amount,
  t.vat_amount::text as vat_amount, t.gross_amount::text as gross_amount,
  t.economic_net_amount::text as economic_net_amount, t.economic_vat_amount::text as economic_vat_amount,
  t.economic_gross_amount::text as economic_gross_amount, t.amount_mismatch, t.status::text as status,
  t.attempts, ${iso(sql`t.next_attempt_at`)} as next_attempt_at, t.economic_draft_number,
  t.economic_booked_number, t.sent_by, ${iso(sql`t.created_at`)} as created_at,
  ${iso(sql`t.updated_at`)} as updated_at`;

// Must match the indexes' order (drizzle-kit writes them "DESC NULLS LAST") to be read from them.
const newestFirst = sql`order by t.created_at desc nulls last, t.id desc nulls last`;

interface RawRow {
  id: string;
  rackbeat_invoice_number: string;
  order_number: string | null;
  customer_number: string | null;
  customer_name: string | null;
  invoice_date: string | null;
  currency: string | null;
  net_amount: string | null;
  vat_amount: string | null;
  gross_amount: string | null;
  economic_net_amount: string | null;
  economic_vat_amount: string | null;
  economic_gross_amount: string | null;
  amount_mismatch: boolean;
  status: TransferStatus;
  attempts: number;
  next_attempt_at: string | null;
  economic_draft_number: number | null;
  economic_booked_number: number | null;
  sent_by: string | null;
  created_at: string;
  updated_at: string;
}

function toRow(r: RawRow): ReviewRow {
  return {
    id: r.id,
    rackbeatInvoiceNumber: r.rackbeat_invoice_number,
    orderNumber: r.order_number,
    customerNumber: r.customer_number,
    customerName: r.customer_name,
    invoiceDate: r.invoice_date,
    currency: r.currency,
    netAmount: r.net_amount,
    vatAmount: r.vat_amount,
    grossAmount: r.gross_amount,
    economicNetAmount: r.economic_net_amount,
    economicVatAmount: r.economic_vat_amount,
    economicGrossAmount: r.economic_gross_amount,
    amountMismatch: r.amount_mismatch,
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null,
    economicDraftNumber: r.economic_draft_number === null ? null : Number(r.economic_draft_number),
    economicBookedNumber: r.economic_booked_number === null ? null : Number(r.economic_booked_number),
    sentBy: r.sent_by,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** Conditions every arm of the list shares: company, status, received-date range, cursor. */
function commonConditions(companyId: string, filters: ReviewFilters): SQL {
  // The invoices only: master-data syncs (lib/sync) share the queue but are not invoices.
  const parts: SQL[] = [sql`t.company_id = ${companyId}::uuid`, sql`t.kind = 'invoice'`];
  if (filters.status) parts.push(sql`t.status = ${filters.status}::transfer_status`);
  if (filters.from)
    parts.push(sql`t.created_at >= ${startOfDanishDay(filters.from).toISOString()}::timestamptz`);
  if (filters.to) {
    parts.push(sql`t.created_at < ${startOfDanishDay(nextDay(filters.to)).toISOString()}::timestamptz`);
  }
  if (filters.cursor) {
    parts.push(
      sql`(t.created_at, t.id) < (${filters.cursor.createdAt}::timestamptz, ${filters.cursor.id}::uuid)`,
    );
  }
  return sql.join(parts, sql` and `);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A name search reads at most this many customers (the most recently seen first) of the company's
 * transfer_customers, so its cost does not grow with the company (one index probe per customer;
 * at 200 the 1M/10k ratio of a broad fragment reached 2). Exact whenever fewer customers match.
 * A broader fragment lists these customers' transfers only: without other filters the newest
 * `cap` matches are still exact, as long as a customer's last-seen time is its newest transfer's
 * (recorded seconds after it arrives; a retry of an old transfer blurs this); deeper pages and
 * status/date filters may miss the transfers of customers not seen lately.
 */
export const NAME_SEARCH_CUSTOMER_CAP = 100;

function customersNamed(companyId: string, q: string, cap: number): SQL {
  return sql`select c.customer_number from transfer_customers c
    where c.company_id = ${companyId}::uuid and lower(c.customer_name) like '%' || lower(${escapeLike(q)}) || '%'
    group by c.customer_number order by max(c.last_seen_at) desc, c.customer_number limit ${cap}`;
}

/**
 * Transfers of the customers whose name contains `q`, newest first, cut at `limit`: a k-way merge
 * of one index range per customer (and status), without reading every match. First each
 * customer's newest match (one index probe each), then only the `limit` customers with the newest
 * ones, and the customer ranked r at most `limit - r + 1` rows: each customer ranked above it has
 * a newer match than all of its own. So the work is customers + limit²/2 index entries at most,
 * whatever the company's size.
 */
function nameArm(companyId: string, where: SQL, q: string, limit: number): SQL {
  const ofCustomer = (alias: string, cut: SQL) =>
    sql`select t.id, t.created_at from transfers t where ${where}
      and t.customer_number = ${sql.raw(alias)}.customer_number ${newestFirst} limit ${cut}`;
  return sql`select n.id, n.created_at from (
      select m.customer_number, row_number() over (
        order by h.created_at desc nulls last, h.id desc nulls last) as rank
      from (${customersNamed(companyId, q, NAME_SEARCH_CUSTOMER_CAP)}) m
      cross join lateral (${ofCustomer("m", sql`1`)}) h
      order by h.created_at desc nulls last, h.id desc nulls last limit ${limit}
    ) r
    cross join lateral (${ofCustomer("r", sql`${limit}::int - r.rank + 1`)}) n`;
}

/**
 * One arm per searched field, each read newest-first from its own index and cut at a page, then
 * merged: an OR across the fields would make the planner pick one plan for four very different
 * selectivities.
 */
function searchArms(companyId: string, where: SQL, q: string, limit: number): SQL {
  const arms: SQL[] = [
    sql`t.rackbeat_invoice_number = ${q}`,
    sql`t.order_number = ${q}`,
    sql`t.customer_number = ${q}`,
  ].map(
    (match) =>
      sql`(select t.id, t.created_at from transfers t where ${where} and ${match} ${newestFirst} limit ${limit})`,
  );
  if ([...q].length >= MIN_NAME_FRAGMENT) arms.push(sql`(${nameArm(companyId, where, q, limit)})`);
  return sql.join(arms, sql` union `);
}

/** The SQL of one page; exported for the benchmark's EXPLAIN. */
export function listTransfersQuery(companyId: string, filters: ReviewFilters, limit: number): SQL {
  const where = commonConditions(companyId, filters);
  const q = filters.q?.trim();
  if (!q) return sql`select ${listColumns} from transfers t where ${where} ${newestFirst} limit ${limit}`;
  return sql`select ${listColumns} from transfers t
    where t.id in (select h.id from (${searchArms(companyId, where, q, limit)}) h
      order by h.created_at desc nulls last, h.id desc nulls last limit ${limit})
    ${newestFirst}`;
}

/** A page of the company's transfers, newest first. */
export async function listTransfers(
  db: Db,
  companyId: string,
  filters: ReviewFilters,
  pageSize = REVIEW_PAGE_SIZE,
): Promise<ReviewPage> {
  const raw = rowsOf<RawRow>(await db.execute(listTransfersQuery(companyId, filters, pageSize + 1)));
  const more = raw.length > pageSize;
  const page = raw.slice(0, pageSize);
  const last = page.at(-1);
  return {
    rows: page.map(toRow),
    nextCursor: more && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

export interface StatusCount {
  count: number;
  /** True when there are more than `count` (the cap). */
  capped: boolean;
}
export type StatusCounts = Record<TransferStatus, StatusCount>;

export function statusCountsQuery(companyId: string, cap: number): SQL {
  // One capped count per status, each with its status written out (our own fixed list, not input):
  // with the status as a parameter (a correlated subquery over the enum) the planner priced every
  // status alike and at 100k transfers chose a sequential scan of the table for each (156 ms instead
  // of ~5, bench/results/review-explain.txt). Written out and in the index's own order
  // (transfers_company_status_created_idx), each count is one index range that stops at the cap.
  const counts = transferStatuses.map(
    (status) => sql`select ${status}::text as status,
    (select count(*) from (select 1 from transfers t
      where t.company_id = ${companyId}::uuid and t.status = '${sql.raw(status)}' and t.kind = 'invoice'
      ${newestFirst} limit ${cap + 1}) x)::int as n`,
  );
  return sql.join(counts, sql` union all `);
}

/** The company's transfers per status, each counted up to the cap (one index range each). */
export async function countTransfersByStatus(
  db: Db,
  companyId: string,
  cap = STATUS_COUNT_CAP,
): Promise<StatusCounts> {
  const rows = rowsOf<{ status: TransferStatus; n: number }>(
    await db.execute(statusCountsQuery(companyId, cap)),
  );
  const counts = Object.fromEntries(
    transferStatuses.map((s) => [s, { count: 0, capped: false }]),
  ) as StatusCounts;
  for (const row of rows) {
    const n = Number(row.n);
    counts[row.status] = n > cap ? { count: cap, capped: true } : { count: n, capped: false };
  }
  return counts;
}

/** Whether a transfer id (any string from a URL) names one of this company's transfers. */
export function isTransferId(value: string): boolean {
  return isUuid(value);
}
