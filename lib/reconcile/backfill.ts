import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, rowsOf } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { type Backfill, backfills, transfers } from "@/db/schema";
import type { ExternalUrls } from "@/lib/env";
import { loadIntegration, rackbeatClientFor } from "@/lib/integrations/clients";
import { notifyQueuedSql } from "@/lib/transfer/wakeup";
import { fetchBookedPage } from "./list-booked";
import { enqueueMissing } from "./sweep";

/**
 * "Overfør fakturaer bogført siden [dato]": every booked invoice since a date that has no transfer
 * is queued, and so is every one that arrived while the integration was not active (skipped as
 * `not_activated`, shown as Ikke overført). The walk is one Rackbeat page per step, each step one
 * statement that moves `next_page` on with the counts, under a lease: a restart (or a crash) picks
 * the walk up at the page it was on, and a page read twice queues nothing twice (`enqueueTransfer`
 * is idempotent, and a re-queued transfer is no longer skipped).
 */

export const NOT_ACTIVATED_REASON = "not_activated";
const BACKFILL_LEASE_MS = 2 * 60_000;

export interface BackfillOptions {
  urls?: ExternalUrls;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** Midnight in Danish time at the start of a YYYY-MM-DD day, as an instant. */
export function danishMidnight(day: string): Date {
  const utc = new Date(`${day}T00:00:00Z`);
  // Copenhagen is UTC+1 or UTC+2: find the offset at that day's noon and step back from UTC midnight.
  const noon = new Date(`${day}T12:00:00Z`);
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Copenhagen",
      hour: "2-digit",
      hour12: false,
    }).format(noon),
  );
  return new Date(utc.getTime() - (hour - 12) * 3_600_000);
}

export interface BackfillPreview {
  /** Booked invoices since the date. */
  found: number;
  /** Of those, how many the backfill would queue (no transfer yet, or Ikke overført). */
  toTransfer: number;
}

/** Reads Rackbeat's booked list since `since` and counts what a backfill would queue. */
export async function previewBackfill(
  db: Db,
  companyId: string,
  since: string,
  options: BackfillOptions = {},
): Promise<BackfillPreview> {
  const rackbeat = rackbeatClientFor(await loadIntegration(db, companyId), options);
  if (!rackbeat) throw new Error("Rackbeat is not connected");
  let found = 0;
  let toTransfer = 0;
  for (let page = 1; ; page++) {
    const result = await fetchBookedPage(rackbeat, page, danishMidnight(since), options.signal);
    const numbers = [...new Set(result.invoices.map((i) => i.number))];
    found += numbers.length;
    toTransfer += numbers.length - (await settledCount(db, companyId, numbers));
    if (result.last) return { found, toTransfer };
  }
}

/** How many of `numbers` have a transfer that a backfill leaves alone (anything but Ikke overført). */
async function settledCount(db: Db, companyId: string, numbers: string[]): Promise<number> {
  if (numbers.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(transfers)
    .where(
      and(
        eq(transfers.companyId, companyId),
        inArray(transfers.rackbeatInvoiceNumber, numbers),
        sql`not (${transfers.status} = 'skipped' and ${transfers.skipReason} = ${NOT_ACTIVATED_REASON})`,
      ),
    );
  return Number(row?.n ?? 0);
}

export type StartBackfillResult = { ok: true; backfill: Backfill } | { ok: false; error: "alreadyRunning" };

/** Starts a backfill; one runs per company at a time. */
export async function startBackfill(
  db: Db,
  input: { companyId: string; since: string; expected: number; userId?: string },
): Promise<StartBackfillResult> {
  try {
    const [row] = await db
      .insert(backfills)
      .values({
        companyId: input.companyId,
        since: input.since,
        expected: input.expected,
        createdBy: input.userId ?? null,
      })
      .returning();
    return { ok: true, backfill: row! };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: "alreadyRunning" };
    throw error;
  }
}

/** Cancels the company's running backfill; what it queued already stays queued. */
export async function cancelBackfill(db: Db, companyId: string, backfillId: string): Promise<boolean> {
  const rows = await db
    .update(backfills)
    .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()`, leaseOwner: null })
    .where(
      and(eq(backfills.id, backfillId), eq(backfills.companyId, companyId), eq(backfills.status, "running")),
    )
    .returning({ id: backfills.id });
  return rows.length > 0;
}

export interface BackfillProgress {
  backfill: Backfill;
  /** Transfers of this backfill done (draft or booked), failed for good, and still on their way. */
  transferred: number;
  failed: number;
  pending: number;
}

/** The company's latest backfill with its transfers counted by outcome (the progress bar). */
export async function latestBackfillProgress(db: Db, companyId: string): Promise<BackfillProgress | null> {
  const [backfill] = await db
    .select()
    .from(backfills)
    .where(eq(backfills.companyId, companyId))
    .orderBy(desc(backfills.createdAt))
    .limit(1);
  if (!backfill) return null;
  const [counts] = rowsOf<{ transferred: number; failed: number; pending: number }>(
    await db.execute(sql`
      select
        count(*) filter (where status in ('draft', 'booked'))::int as transferred,
        count(*) filter (where status = 'failed' and next_attempt_at is null
          or status = 'skipped')::int as failed,
        count(*) filter (where status in ('queued', 'processing')
          or status = 'failed' and next_attempt_at is not null)::int as pending
      from transfers where backfill_id = ${backfill.id}::uuid`),
  );
  return {
    backfill,
    transferred: Number(counts?.transferred ?? 0),
    failed: Number(counts?.failed ?? 0),
    pending: Number(counts?.pending ?? 0),
  };
}

export type BackfillStepResult = "advanced" | "finished" | "busy";

/**
 * Reads the backfill's next page and queues what it holds, then moves the walk on, fenced by the
 * lease and by `status = 'running'` (a cancel between the read and the write stops it there).
 */
export async function runBackfillStep(
  db: Db,
  backfillId: string,
  options: BackfillOptions & { owner?: string } = {},
): Promise<BackfillStepResult> {
  const owner = options.owner ?? `backfill:${randomBytes(4).toString("hex")}`;
  const [claimed] = await db
    .update(backfills)
    .set({
      leaseOwner: owner,
      leaseExpiresAt: sql`now() + ${BACKFILL_LEASE_MS}::int * interval '1 millisecond'`,
    })
    .where(
      and(
        eq(backfills.id, backfillId),
        eq(backfills.status, "running"),
        sql`(${backfills.leaseOwner} is null or ${backfills.leaseExpiresAt} <= now())`,
      ),
    )
    .returning();
  if (!claimed) return "busy";
  const integration = await loadIntegration(db, claimed.companyId);
  const rackbeat = rackbeatClientFor(integration, options);
  if (!rackbeat) {
    await db
      .update(backfills)
      .set({ status: "failed", error: "not_connected", finishedAt: sql`now()`, leaseOwner: null })
      .where(and(eq(backfills.id, backfillId), eq(backfills.leaseOwner, owner)));
    return "finished";
  }
  let page: Awaited<ReturnType<typeof fetchBookedPage>>;
  try {
    page = await fetchBookedPage(rackbeat, claimed.nextPage, danishMidnight(claimed.since), options.signal);
  } catch (error) {
    // Released for the next round; a transient Rackbeat error is retried then.
    await db
      .update(backfills)
      .set({
        leaseOwner: null,
        leaseExpiresAt: null,
        error: error instanceof Error ? error.message : String(error),
      })
      .where(and(eq(backfills.id, backfillId), eq(backfills.leaseOwner, owner)));
    throw error;
  }
  let queued = await enqueueMissing(db, claimed.companyId, page, "backfill", backfillId);
  if (integration?.activated) queued += await requeueNotActivated(db, claimed.companyId, page, backfillId);
  const done = page.last;
  await db
    .update(backfills)
    .set({
      nextPage: claimed.nextPage + 1,
      found: sql`${backfills.found} + ${new Set(page.invoices.map((i) => i.number)).size}`,
      queued: sql`${backfills.queued} + ${queued}`,
      status: done ? "done" : "running",
      finishedAt: done ? sql`now()` : null,
      leaseOwner: null,
      leaseExpiresAt: null,
      error: null,
      updatedAt: sql`now()`,
    })
    .where(
      and(eq(backfills.id, backfillId), eq(backfills.leaseOwner, owner), eq(backfills.status, "running")),
    );
  return done ? "finished" : "advanced";
}

/** Queues again the page's invoices that were skipped while the integration was not active. */
async function requeueNotActivated(
  db: Db,
  companyId: string,
  page: { invoices: { number: string }[] },
  backfillId: string,
): Promise<number> {
  const numbers = [...new Set(page.invoices.map((i) => i.number))];
  if (numbers.length === 0) return 0;
  const rows = await db
    .update(transfers)
    .set({
      status: "queued",
      nextAttemptAt: sql`now()`,
      retryBaseAttempts: sql`${transfers.attempts}`,
      skipReason: null,
      lastError: null,
      backfillId,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(transfers.companyId, companyId),
        inArray(transfers.rackbeatInvoiceNumber, numbers),
        eq(transfers.status, "skipped"),
        eq(transfers.skipReason, NOT_ACTIVATED_REASON),
      ),
    )
    // Due at once: the workers of every process are told (lib/transfer/wakeup.ts), on commit.
    .returning({
      id: transfers.id,
      notified: notifyQueuedSql(sql`${transfers.companyId}`),
    });
  return rows.length;
}

/** Running backfills whose lease is free (the scheduler steps each of them). */
export async function dueBackfills(db: Db, limit = 20): Promise<string[]> {
  const rows = await db
    .select({ id: backfills.id })
    .from(backfills)
    .where(
      and(
        eq(backfills.status, "running"),
        sql`(${backfills.leaseOwner} is null or ${backfills.leaseExpiresAt} <= now())`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The backfill form's date: a real day, not in the future (Danish time). Error keys the UI translates. */
export const backfillInputSchema = z.object({
  since: z.iso
    .date({ error: "invalidDate" })
    .refine((day) => danishMidnight(day).getTime() <= Date.now(), { error: "invalidDate" }),
});
export type BackfillInput = z.infer<typeof backfillInputSchema>;
