import { and, eq, gt, type SQL, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { type TransferSource, type TransferStatus, transfers } from "@/db/schema";
import type { ExternalUrls } from "@/lib/env";
import { backoffDelay } from "@/lib/http/retry";
import {
  type ClaimedTransfer,
  DraftClaimRefusedError,
  LeaseLostError,
  type ProcessContext,
  type ProcessOutcome,
  type TransferError,
  type TransferPatch,
} from "./types";
import { draftClaimInsert, sideWriteCtes } from "./unsaved-sql";
import { forgetWritten, snapshotOf, stagePatch } from "./unsaved-writes";
import { notifyQueuedSql } from "./wakeup";
import { DEFAULT_TRANSFER_PER_COMPANY_LIMIT } from "./worker-settings";

/**
 * The durable queue: the transfers table is the queue (status, attempts, next_attempt_at, lease).
 *
 * - Due: `queued`/`failed` with next_attempt_at <= now(), or `processing` whose lease expired (a
 *   worker died). While a transfer is processing, next_attempt_at mirrors lease_expires_at, so one
 *   partial index per company (transfers_company_due_idx) finds both kinds.
 * - `failed` with a next_attempt_at is "retrying"; `failed` with none has given up (or failed
 *   permanently) and waits for an admin's **Prøv igen**.
 * - Every write by a worker is fenced by lease_owner: a worker whose lease was taken over can no
 *   longer change the row (LeaseLostError / completeTransfer answers false).
 */

export const DEFAULT_LEASE_MS = 60_000;
/** TRANSFER_PER_COMPANY_LIMIT's default; why 4: lib/transfer/worker-settings.ts. */
export const DEFAULT_PER_COMPANY_LIMIT = DEFAULT_TRANSFER_PER_COMPANY_LIMIT;

export interface QueueRetryPolicy {
  /** Attempts (since the last manual retry) before a transient failure is given up. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_QUEUE_RETRY_POLICY: Readonly<QueueRetryPolicy> = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 10_000,
  maxDelayMs: 30 * 60_000,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Namespace of the per-company claim locks (pg_try_advisory_xact_lock(ns, hash(company))), taken in
 * db/migrations/0004_claim_transfers.sql (lock_ns there).
 */
export const CLAIM_LOCK_NAMESPACE = 72_310_002;

// ---------------------------------------------------------------------------------------------
// Wake-up: each statement below that makes a transfer due now also notifies the channel
// transfer_queued (lib/transfer/wakeup.ts), so idle workers in every process start at once.

/** The select-list expression that notifies the workers of a row's company (pg_notify is void). */
const notifyQueued = notifyQueuedSql;

export interface QueuedNotice {
  transferId: string;
  companyId: string;
}

// ---------------------------------------------------------------------------------------------
// Enqueue (the intake)

export interface ReceivedEvent {
  event: string;
  key: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface EnqueueResult {
  transferId: string;
  status: TransferStatus;
  /** False when the invoice already had a transfer (a repeated delivery). */
  created: boolean;
}

export interface EnqueueInput {
  companyId: string;
  rackbeatInvoiceNumber: string;
  /** The webhook delivery that named the invoice; none when the sweep or a backfill found it. */
  event?: ReceivedEvent;
  /** How the invoice arrived (default "webhook"); kept from the first way that found it. */
  source?: TransferSource;
  /** The backfill that found it, for that backfill's progress. */
  backfillId?: string;
}

/**
 * Creates the transfer of (company, invoice) unless it exists, and records the received event with
 * it. Each step is a single statement, hence one transaction with its event row: a new transfer
 * and its event commit together; a repeated delivery only adds its event to the existing transfer
 * (whatever its status: a transfer already transferred is never re-queued by a delivery). The
 * sweep and backfills come through here too, so one invoice makes one transfer however it arrives.
 *
 * A new transfer notifies the workers (transfer_queued) in the same statement, on commit.
 *
 * Why two statements rather than one: a statement's snapshot is taken before ON CONFLICT waits
 * for a concurrent insert of the same key, so the same statement could not see that row.
 */
export async function enqueueTransfer(db: Db, input: EnqueueInput): Promise<EnqueueResult> {
  const { companyId, rackbeatInvoiceNumber: number, event } = input;
  const source = input.source ?? "webhook";
  const backfillId = input.backfillId ? sql`${input.backfillId}::uuid` : sql`null`;
  const eventInsert = event
    ? sql`, e as (
        insert into webhook_events (company_id, transfer_id, event, key, headers, body)
        select ${companyId}::uuid, t.id, ${event.event}, ${event.key}, ${JSON.stringify(
          event.headers,
        )}::jsonb, ${JSON.stringify(event.body)}::jsonb from t
      )`
    : sql``;
  const [inserted] = rowsOf<{ id: string; status: TransferStatus }>(
    await db.execute(sql`
      with t as (
        insert into transfers (company_id, rackbeat_invoice_number, source, backfill_id)
        values (${companyId}::uuid, ${number}, ${source}, ${backfillId})
        on conflict (company_id, rackbeat_invoice_number) do nothing
        returning id, status, company_id
      )${eventInsert}
      select id, status::text as status, ${notifyQueued(sql`company_id`)} as notified from t`),
  );
  if (inserted) return { transferId: inserted.id, status: inserted.status, created: true };
  // The row exists (it may have been deleted since, with its company: then try to insert again).
  for (let i = 0; i < 3; i++) {
    const [existing] = rowsOf<{ id: string; status: TransferStatus }>(
      await db.execute(sql`
        with t as (
          select id, status from transfers
          where company_id = ${companyId}::uuid and rackbeat_invoice_number = ${number}
        )${eventInsert}
        select id, status::text as status from t`),
    );
    if (existing) return { transferId: existing.id, status: existing.status, created: false };
  }
  throw new Error("transfer vanished while recording a repeated delivery");
}

// ---------------------------------------------------------------------------------------------
// Claim

export interface ClaimOptions {
  workerId: string;
  /** Transfers to claim at most. */
  limit: number;
  leaseMs?: number;
  /** Transfers in flight per company at most (across every worker sharing the database). */
  perCompanyLimit?: number;
}

interface ClaimedRow {
  id: string;
  company_id: string;
  rackbeat_invoice_number: string;
  attempts: number;
  attempts_since_retry: number;
  checkpoint: string | null;
}

/**
 * Claims up to `limit` due transfers for `workerId`: status processing, attempts + 1, a lease, and a
 * transfer_attempts row. One statement, one round trip: the stored function claim_transfers
 * (db/migrations/0004_claim_transfers.sql). Rows are locked with FOR UPDATE SKIP LOCKED, so any number of
 * workers in any number of processes share one database without waiting on each other.
 *
 * The per-company limit needs more than row locks: two workers counting a company's in-flight
 * transfers at once would both see room. So the function takes a transaction-scoped advisory
 * try-lock per company (a company another worker is claiming for right now is skipped, like a locked
 * row), then counts with a fresh snapshot, which sees every claim committed before. The companies
 * with due work come from a skip-scan of an index per company, so the claim costs the same with 100
 * or 100,000 due transfers; they are served oldest-waiting first, each up to its free slots, so one
 * company's backlog does not starve the others.
 */
export async function claimTransfers(db: Db, options: ClaimOptions): Promise<ClaimedTransfer[]> {
  const limit = Math.max(0, Math.floor(options.limit));
  if (limit === 0) return [];
  const leaseMs = Math.round(options.leaseMs ?? DEFAULT_LEASE_MS);
  const perCompany = Math.max(1, Math.floor(options.perCompanyLimit ?? DEFAULT_PER_COMPANY_LIMIT));
  const rows = rowsOf<ClaimedRow>(
    await db.execute(sql`
      select id, company_id, rackbeat_invoice_number, attempts, attempts_since_retry, checkpoint
      from claim_transfers(${options.workerId}::text, ${limit}::int, ${leaseMs}::int, ${perCompany}::int)`),
  );
  return rows.map((r) => ({
    id: r.id,
    companyId: r.company_id,
    rackbeatInvoiceNumber: r.rackbeat_invoice_number,
    attempt: Number(r.attempts),
    attemptsSinceRetry: Number(r.attempts_since_retry),
    checkpoint: parseCheckpoint(r.checkpoint),
  }));
}

function parseCheckpoint(text: string | null): Record<string, unknown> {
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

// ---------------------------------------------------------------------------------------------
// While processing: fenced writes that extend the lease

/**
 * Writes `patch` and extends the lease, only while `workerId` still holds a live lease on the
 * transfer; throws LeaseLostError otherwise (another worker may be processing it now).
 */
export async function updateLeasedTransfer(
  db: Db,
  transferId: string,
  workerId: string,
  leaseMs: number,
  patch: TransferPatch = {},
): Promise<void> {
  const until = sql`now() + ${Math.round(leaseMs)}::int * interval '1 millisecond'`;
  const updated = await db
    .update(transfers)
    .set({ ...patch, leaseExpiresAt: until, nextAttemptAt: until, updatedAt: sql`now()` })
    .where(
      and(
        eq(transfers.id, transferId),
        eq(transfers.leaseOwner, workerId),
        eq(transfers.status, "processing"),
        gt(transfers.leaseExpiresAt, sql`now()`),
      ),
    )
    .returning({ id: transfers.id });
  if (updated.length === 0) throw new LeaseLostError(transferId);
}

/** The row is still this worker's: processing, under its live lease. */
function leaseHeld(transferId: string, workerId: string) {
  return and(
    eq(transfers.id, transferId),
    eq(transfers.leaseOwner, workerId),
    eq(transfers.status, "processing"),
    gt(transfers.leaseExpiresAt, sql`now()`),
  );
}

/**
 * Writes `patch` and the transfer's unsaved writes (unsaved-writes.ts) and extends the lease, in
 * one statement, only while `workerId` still holds a live lease on the transfer; throws
 * LeaseLostError otherwise (another worker may be processing it now) and writes nothing. When the
 * unsaved writes claim a draft, the row is written only with the claim: DraftClaimRefusedError
 * (nothing written) when another transfer holds it. What was written leaves `transfer.unsaved`.
 */
export async function writeLeased(
  db: Db,
  transfer: Pick<ClaimedTransfer, "id" | "companyId" | "unsaved">,
  workerId: string,
  leaseMs: number,
  patch: TransferPatch = {},
): Promise<void> {
  stagePatch(transfer, patch);
  const unsaved = snapshotOf(transfer.unsaved);
  const until = sql`now() + ${Math.round(leaseMs)}::int * interval '1 millisecond'`;
  const held = leaseHeld(transfer.id, workerId);
  const claim = unsaved.claimDraft;
  const ctes: SQL[] = [];
  if (claim) {
    const condition = sql`exists (select 1 from transfers where ${held})`;
    const scope = { companyId: transfer.companyId, transferId: transfer.id };
    ctes.push(sql`claim as (${draftClaimInsert(scope, claim, { fresh: true, condition })})`);
  }
  const update = db
    .update(transfers)
    .set({ ...unsaved.patch, leaseExpiresAt: until, nextAttemptAt: until, updatedAt: sql`now()` })
    .where(claim ? and(held, sql`exists (select 1 from claim)`) : held)
    .returning({ id: transfers.id });
  ctes.push(sql`t as (${update.getSQL()})`, ...sideWriteCtes(unsaved, transfer, "t"));
  const [row] = rowsOf<{ written: number; held: number }>(
    await db.execute(sql`
      with ${sql.join(ctes, sql`, `)}
      select (select count(*) from t)::int as written,
        ${claim ? sql`(select count(*) from transfers where ${held})::int` : sql`1`} as held`),
  );
  if (Number(row?.written ?? 0) === 0) {
    throw claim && Number(row?.held) > 0
      ? new DraftClaimRefusedError(claim.draftNumber)
      : new LeaseLostError(transfer.id);
  }
  forgetWritten(transfer.unsaved, unsaved);
}

export interface ProcessContextOptions {
  workerId: string;
  leaseMs?: number;
  signal?: AbortSignal;
  urls?: ExternalUrls;
  fetch?: typeof fetch;
}

export function makeProcessContext(
  db: Db,
  transfer: Pick<ClaimedTransfer, "id" | "companyId" | "unsaved">,
  options: ProcessContextOptions,
): ProcessContext {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  return {
    db,
    workerId: options.workerId,
    signal: options.signal ?? new AbortController().signal,
    update: (patch) => writeLeased(db, transfer, options.workerId, leaseMs, patch),
    urls: options.urls,
    fetch: options.fetch,
  };
}

// ---------------------------------------------------------------------------------------------
// Completion

/** What an outcome does to the row; `retryInMs` null means nothing further is scheduled. */
export interface CompletionDecision {
  status: Extract<TransferStatus, "draft" | "booked" | "skipped" | "failed">;
  retryInMs: number | null;
  lastError: TransferError | null;
  skipReason: string | null;
  /** transfer_attempts.outcome */
  attemptOutcome: "done" | "skipped" | "retry" | "gave_up" | "failed";
}

/**
 * Pure: the row's next state after `outcome` of attempt number `attemptsSinceManualRetry` (1-based,
 * counted since the last manual retry). Back-off is the shared full-jitter `backoffDelay`; a
 * server's Retry-After (retryAfterMs) is honoured as the least wait.
 */
export function decideCompletion(
  outcome: ProcessOutcome,
  attemptsSinceManualRetry: number,
  policy: QueueRetryPolicy = DEFAULT_QUEUE_RETRY_POLICY,
  random: () => number = Math.random,
): CompletionDecision {
  switch (outcome.kind) {
    case "done":
      return {
        status: outcome.status,
        retryInMs: null,
        lastError: null,
        skipReason: null,
        attemptOutcome: "done",
      };
    case "skipped":
      return {
        status: "skipped",
        retryInMs: null,
        lastError: null,
        skipReason: outcome.reason,
        attemptOutcome: "skipped",
      };
    case "failed":
      return {
        status: "failed",
        retryInMs: null,
        lastError: outcome.error,
        skipReason: null,
        attemptOutcome: "failed",
      };
    case "retry": {
      if (attemptsSinceManualRetry >= policy.maxAttempts) {
        return {
          status: "failed",
          retryInMs: null,
          lastError: outcome.error,
          skipReason: null,
          attemptOutcome: "gave_up",
        };
      }
      const backoff = backoffDelay(attemptsSinceManualRetry, policy, random);
      return {
        status: "failed",
        retryInMs: Math.max(backoff, Math.round(outcome.retryAfterMs ?? 0)),
        lastError: outcome.error,
        skipReason: null,
        attemptOutcome: "retry",
      };
    }
  }
}

export interface CompleteOptions {
  retryPolicy?: Partial<QueueRetryPolicy>;
  random?: () => number;
}

/** Attempts since the last manual retry: from the claim, or else read from the row (one select). */
async function attemptsSinceRetry(
  db: Db,
  transfer: Pick<ClaimedTransfer, "id" | "attemptsSinceRetry">,
  workerId: string,
): Promise<number | undefined> {
  if (transfer.attemptsSinceRetry !== undefined) return transfer.attemptsSinceRetry;
  const [row] = rowsOf<{ since: number }>(
    await db.execute(sql`
      select attempts - retry_base_attempts as since from transfers
      where id = ${transfer.id}::uuid and lease_owner = ${workerId} and status = 'processing'`),
  );
  return row ? Number(row.since) : undefined;
}

/**
 * Ends `workerId`'s attempt with `outcome`, in one statement: the row's new state with the
 * attempt's unsaved writes (unsaved-writes.ts: the invoice, the plan, the checkpoint, e-conomic's
 * numbers, the call log — for a failed attempt too, so the review page shows what it learnt), and
 * the transfer_attempts row finished. Fenced by the lease owner, so a worker that lost its lease
 * changes nothing (answers false).
 */
export async function completeTransfer(
  db: Db,
  transfer: Pick<ClaimedTransfer, "id" | "companyId" | "attempt" | "attemptsSinceRetry" | "unsaved">,
  workerId: string,
  outcome: ProcessOutcome,
  options: CompleteOptions = {},
): Promise<boolean> {
  const policy = { ...DEFAULT_QUEUE_RETRY_POLICY, ...options.retryPolicy };
  const random = options.random ?? Math.random;
  // The give-up decision needs the attempts since the last manual retry (the claim returns it).
  const since = await attemptsSinceRetry(db, transfer, workerId);
  if (since === undefined) return false;
  const d = decideCompletion(outcome, since, policy, random);
  const next = d.retryInMs === null ? sql`null` : sql`now() + ${d.retryInMs}::int * interval '1 millisecond'`;
  const error = d.lastError === null ? sql`null` : sql`${JSON.stringify(d.lastError)}::jsonb`;
  const unsaved = snapshotOf(transfer.unsaved);
  // A draft claim is never left for the completion: the engine writes it with the draft (run.ts).
  const resync = sql`${transfers.resyncRequested}`;
  const done = db
    .update(transfers)
    .set({
      ...unsaved.patch,
      // A master-data record changed while it was being synced (lib/sync/enqueue.ts): sync again.
      status: sql`case when ${resync} then 'queued'::transfer_status else ${d.status}::transfer_status end`,
      leaseOwner: null,
      leaseExpiresAt: null,
      nextAttemptAt: sql`case when ${resync} then now() else ${next} end`,
      retryBaseAttempts: sql`case when ${resync} then ${transfers.attempts} else ${transfers.retryBaseAttempts} end`,
      resyncRequested: false,
      lastError: sql`${error}`,
      skipReason: d.skipReason,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(transfers.id, transfer.id),
        eq(transfers.leaseOwner, workerId),
        eq(transfers.status, "processing"),
      ),
    )
    .returning({ id: transfers.id, companyId: transfers.companyId, status: transfers.status });
  const [result] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with ${sql.join([sql`done as (${done.getSQL()})`, ...sideWriteCtes(unsaved, transfer, "done")], sql`, `)},
      finished as (
        update transfer_attempts set finished_at = now(), outcome = ${d.attemptOutcome}, error = ${error}
        where transfer_id = ${transfer.id}::uuid and attempt = ${transfer.attempt} and worker = ${workerId}
          and finished_at is null and exists (select 1 from done)
      )
      -- Queued again at once (a resync was asked for): the workers of every process are told.
      select count(*)::int as n,
        max(case when status = 'queued' then ${notifyQueued(sql`company_id`)} end) as notified
      from done`),
  );
  const completed = Number(result?.n ?? 0) > 0;
  if (completed) forgetWritten(transfer.unsaved, unsaved);
  return completed;
}

/**
 * Gives a claimed transfer back without an outcome (a worker shutting down): due again at once,
 * the attempt recorded as released with what the attempt had not written yet, the workers of
 * every process notified. Fenced like every
 * worker write.
 */
export async function releaseTransfer(
  db: Db,
  transfer: Pick<ClaimedTransfer, "id" | "companyId" | "attempt" | "unsaved">,
  workerId: string,
): Promise<boolean> {
  const unsaved = snapshotOf(transfer.unsaved);
  const released = db
    .update(transfers)
    .set({
      ...unsaved.patch,
      status: "queued",
      leaseOwner: null,
      leaseExpiresAt: null,
      nextAttemptAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(transfers.id, transfer.id),
        eq(transfers.leaseOwner, workerId),
        eq(transfers.status, "processing"),
      ),
    )
    .returning({ id: transfers.id, companyId: transfers.companyId });
  const [result] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with ${sql.join([sql`released as (${released.getSQL()})`, ...sideWriteCtes(unsaved, transfer, "released")], sql`, `)},
      finished as (
        update transfer_attempts set finished_at = now(), outcome = 'released'
        where transfer_id = ${transfer.id}::uuid and attempt = ${transfer.attempt} and worker = ${workerId}
          and finished_at is null and exists (select 1 from released)
      )
      select count(*)::int as n, max(${notifyQueued(sql`company_id`)}) as notified from released`),
  );
  const done = Number(result?.n ?? 0) > 0;
  if (done) forgetWritten(transfer.unsaved, unsaved);
  return done;
}

// ---------------------------------------------------------------------------------------------
// Manual retry (the review page's Prøv igen / Overfør nu)

/**
 * Queues a failed or skipped transfer of `companyId` again, now, with a fresh retry budget.
 * Atomic: of two concurrent calls (a double click) exactly one re-queues; the other answers false.
 * Returns whether it re-queued. Notifies the workers of every process in the same statement.
 */
export async function requeueTransfer(
  db: Db,
  input: { companyId: string; transferId: string },
): Promise<boolean> {
  // A malformed id would make Postgres throw; it matches no transfer either way.
  if (!UUID.test(input.transferId) || !UUID.test(input.companyId)) return false;
  const updated = await db
    .update(transfers)
    .set({
      status: "queued",
      nextAttemptAt: sql`now()`,
      retryBaseAttempts: sql`${transfers.attempts}`,
      lastError: null,
      skipReason: null,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(transfers.id, input.transferId),
        eq(transfers.companyId, input.companyId),
        sql`${transfers.status} in ('failed', 'skipped')`,
      ),
    )
    .returning({ id: transfers.id, notified: notifyQueued(sql`${transfers.companyId}`) });
  return updated.length > 0;
}
