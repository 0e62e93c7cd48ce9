import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { type RecordFirstSync, recordFirstSyncs } from "@/db/schema";
import type { ExternalUrls } from "@/lib/env";
import { loadIntegration, rackbeatClientFor } from "@/lib/integrations/clients";
import { enqueueRecordSyncs } from "./enqueue";
import type { RecordKind, RecordRef } from "./record-key";

/**
 * "Synkronisér kunder og grupper nu" (and at activation): every customer group, product group and
 * customer in Rackbeat is queued for a sync, groups first. A durable job, like the invoice backfill
 * (lib/reconcile/backfill.ts): `startFirstSync` only writes a `record_first_syncs` row; the
 * reconciler (lib/reconcile/scheduler.ts, in every worker process) walks Rackbeat's lists one page
 * per `runFirstSyncStep`, each page's records queued and the cursor (`list`, `next_page`) moved on
 * under a lease, so a restart (or a crash) continues at the page it was on. A page read twice queues
 * nothing twice: queuing is idempotent (one row per record). A record e-conomic already has (same
 * number) is adopted by its sync, never created a second time. The progress is read from the job
 * row and the queue (`recordSyncProgress`), so it survives a reload and a restart.
 */

export type FirstSyncList = "customer_groups" | "product_groups" | "customers";

/** The walk's order: groups before the customers that name them. */
export const FIRST_SYNC_LISTS: readonly { list: FirstSyncList; kind: RecordKind }[] = [
  { list: "customer_groups", kind: "customer_group" },
  { list: "product_groups", kind: "product_group" },
  { list: "customers", kind: "customer" },
];

/** Rackbeat's page size for the lists (its documented maximum is unconfirmed; 100 is safe). */
const PAGE_SIZE = 100;

/**
 * A step is one Rackbeat page read and one queuing statement, so the lease is short: a worker that
 * died mid-step holds the walk up this long at most. A step that outlives it wastes its page (the
 * cursor moves only under the lease; the queuing is idempotent).
 */
export const FIRST_SYNC_LEASE_MS = 30_000;

export interface FirstSyncOptions {
  urls?: ExternalUrls;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export type FirstSyncResult =
  | { ok: true; job: RecordFirstSync; alreadyRunning: boolean }
  | { ok: false; error: "notConnected" };

/**
 * Starts the company's first sync, or finds the one running (one per company; a second click or
 * an activation during a running walk starts nothing more).
 */
export async function startFirstSync(
  db: Db,
  companyId: string,
  input: { userId?: string } = {},
): Promise<FirstSyncResult> {
  const integration = await loadIntegration(db, companyId);
  if (!integration?.rackbeatApiKeyEnc) return { ok: false, error: "notConnected" };
  try {
    const [job] = await db
      .insert(recordFirstSyncs)
      .values({ companyId, createdBy: input.userId ?? null })
      .returning();
    return { ok: true, job: job!, alreadyRunning: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const running = await latestFirstSync(db, companyId);
  if (!running) throw new Error("first sync neither started nor running");
  return { ok: true, job: running, alreadyRunning: true };
}

export async function latestFirstSync(db: Db, companyId: string): Promise<RecordFirstSync | null> {
  const [job] = await db
    .select()
    .from(recordFirstSyncs)
    .where(eq(recordFirstSyncs.companyId, companyId))
    .orderBy(desc(recordFirstSyncs.createdAt))
    .limit(1);
  return job ?? null;
}

/** Where the walk goes after reading `page` of `list`: the next page, the next list, or done. */
export function nextCursor(
  list: FirstSyncList,
  page: number,
  read: { count: number; pages: number },
): { list: FirstSyncList; nextPage: number } | "done" {
  if (read.count > 0 && page < read.pages) return { list, nextPage: page + 1 };
  const index = FIRST_SYNC_LISTS.findIndex((l) => l.list === list);
  const following = FIRST_SYNC_LISTS[index + 1];
  return following ? { list: following.list, nextPage: 1 } : "done";
}

function listOf(value: string): (typeof FIRST_SYNC_LISTS)[number] | undefined {
  return FIRST_SYNC_LISTS.find((l) => l.list === value);
}

export type FirstSyncStepResult = "advanced" | "finished" | "busy";

/**
 * Reads the walk's next page and queues its records, then moves the cursor on, fenced by the lease
 * and by `status = 'running'`.
 */
export async function runFirstSyncStep(
  db: Db,
  jobId: string,
  options: FirstSyncOptions & { owner?: string; leaseMs?: number; pageSize?: number } = {},
): Promise<FirstSyncStepResult> {
  const owner = options.owner ?? `first-sync:${randomBytes(4).toString("hex")}`;
  const leaseMs = Math.round(options.leaseMs ?? FIRST_SYNC_LEASE_MS);
  const [claimed] = await db
    .update(recordFirstSyncs)
    .set({
      leaseOwner: owner,
      leaseExpiresAt: sql`now() + ${leaseMs}::int * interval '1 millisecond'`,
    })
    .where(
      and(
        eq(recordFirstSyncs.id, jobId),
        eq(recordFirstSyncs.status, "running"),
        sql`(${recordFirstSyncs.leaseOwner} is null or ${recordFirstSyncs.leaseExpiresAt} <= now())`,
      ),
    )
    .returning();
  if (!claimed) return "busy";
  const mine = and(eq(recordFirstSyncs.id, jobId), eq(recordFirstSyncs.leaseOwner, owner));
  const list = listOf(claimed.list);
  const rackbeat = rackbeatClientFor(await loadIntegration(db, claimed.companyId), options);
  if (!rackbeat || !list) {
    await db
      .update(recordFirstSyncs)
      .set({
        status: "failed",
        error: rackbeat ? `unknown list ${claimed.list}` : "not_connected",
        finishedAt: sql`now()`,
        leaseOwner: null,
        updatedAt: sql`now()`,
      })
      .where(mine);
    return "finished";
  }
  let read: { numbers: number[]; pages: number };
  try {
    read = await rackbeat.listRecordNumbers(
      list.list,
      { page: claimed.nextPage, limit: options.pageSize ?? PAGE_SIZE },
      { signal: options.signal },
    );
  } catch (error) {
    // Released for the next round; a transient Rackbeat error is retried then.
    await db
      .update(recordFirstSyncs)
      .set({
        leaseOwner: null,
        leaseExpiresAt: null,
        error: error instanceof Error ? error.message : String(error),
        updatedAt: sql`now()`,
      })
      .where(mine);
    throw error;
  }
  const records: RecordRef[] = read.numbers.map((number) => ({ kind: list.kind, number }));
  const queued = await enqueueRecordSyncs(db, claimed.companyId, records);
  const next = nextCursor(list.list, claimed.nextPage, { count: read.numbers.length, pages: read.pages });
  const done = next === "done";
  await db
    .update(recordFirstSyncs)
    .set({
      ...(done ? {} : { list: next.list, nextPage: next.nextPage }),
      found: sql`${recordFirstSyncs.found} + ${new Set(read.numbers).size}`,
      queued: sql`${recordFirstSyncs.queued} + ${queued}`,
      status: done ? "done" : "running",
      finishedAt: done ? sql`now()` : null,
      leaseOwner: null,
      leaseExpiresAt: null,
      error: null,
      updatedAt: sql`now()`,
    })
    .where(and(mine, eq(recordFirstSyncs.status, "running")));
  return done ? "finished" : "advanced";
}

/** Running first syncs whose lease is free (the reconciler steps each of them). */
export async function dueFirstSyncs(db: Db, limit = 20): Promise<string[]> {
  const rows = await db
    .select({ id: recordFirstSyncs.id })
    .from(recordFirstSyncs)
    .where(
      and(
        eq(recordFirstSyncs.status, "running"),
        sql`(${recordFirstSyncs.leaseOwner} is null or ${recordFirstSyncs.leaseExpiresAt} <= now())`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}

export interface RecordSyncProgress {
  total: number;
  synced: number;
  /** Failed for good (an admin may retry them on the review page's Stamdata view). */
  failed: number;
  /** Queued, processing or waiting to retry. */
  pending: number;
  /** The latest first sync (its walk over Rackbeat's lists), if any was started. */
  job: RecordFirstSync | null;
}

/** The company's master-data syncs by state (one index range over its record rows), and its walk. */
export async function recordSyncProgress(db: Db, companyId: string): Promise<RecordSyncProgress> {
  const [[row], job] = await Promise.all([
    db
      .execute(sql`
        select count(*)::int as total,
          count(*) filter (where status = 'booked')::int as synced,
          count(*) filter (where status in ('failed', 'skipped') and next_attempt_at is null)::int as failed
        from transfers
        where company_id = ${companyId}::uuid and kind <> 'invoice'`)
      .then((r) => rowsOf<{ total: number; synced: number; failed: number }>(r)),
    latestFirstSync(db, companyId),
  ]);
  const total = Number(row?.total ?? 0);
  const synced = Number(row?.synced ?? 0);
  const failed = Number(row?.failed ?? 0);
  return { total, synced, failed, pending: total - synced - failed, job };
}
