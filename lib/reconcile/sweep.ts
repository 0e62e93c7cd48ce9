import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { type TransferSource, transfers } from "@/db/schema";
import type { ExternalUrls } from "@/lib/env";
import { loadIntegration, rackbeatClientFor } from "@/lib/integrations/clients";
import { enqueueTransfer } from "@/lib/transfer/queue";
import { type BookedPage, fetchBookedPage } from "./list-booked";

/**
 * The reconciliation sweep: webhooks are the fast path, Rackbeat's list of booked invoices is the
 * truth. Per company it lists the invoices booked since its watermark (less an overlap window, for
 * bookings that show up in the list late) and enqueues each one without a transfer through
 * `enqueueTransfer`, so a webhook and the sweep for one invoice still make one transfer.
 *
 * One sweep per company at a time across every instance: a lease on the company's `rackbeat_sweeps`
 * row, taken with one conditional upsert (a sweep finding it held answers "busy"). A lease rather
 * than a Postgres advisory lock, because a session lock would have to stay on one pooled
 * connection across Rackbeat's HTTP calls, and a transaction lock would keep a transaction open
 * across them (on PGlite, with its single connection, that would block every other query). A
 * crashed sweep's lease simply expires.
 *
 * Cost with nothing new: one list call (newest booking first, since the watermark) and one query
 * for which of the listed numbers have transfers, whatever the company's history.
 */

export const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60_000;
/** Bookings may reach the list a little after their booking time; this much is read again each time. */
export const DEFAULT_SWEEP_OVERLAP_MS = 10 * 60_000;
const DEFAULT_SWEEP_LEASE_MS = 5 * 60_000;

export interface SweepOptions {
  urls?: ExternalUrls;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Who holds the lease (default: a random id per call). */
  owner?: string;
  overlapMs?: number;
  /** When the company is due again after this sweep. */
  intervalMs?: number;
  leaseMs?: number;
}

export type SweepResult =
  | { kind: "done"; listed: number; queued: number; pages: number }
  | { kind: "busy" }
  | { kind: "skipped"; reason: "not_connected" | "not_activated" };

/** Runs one sweep of a company now (the scheduler's, or "Hent manglende fakturaer nu"). */
export async function sweepCompany(
  db: Db,
  companyId: string,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const integration = await loadIntegration(db, companyId);
  const rackbeat = rackbeatClientFor(integration, { urls: options.urls, fetch: options.fetch });
  if (!integration || !rackbeat) return { kind: "skipped", reason: "not_connected" };
  if (!integration.activated) return { kind: "skipped", reason: "not_activated" };

  const owner = options.owner ?? `sweep:${randomBytes(4).toString("hex")}`;
  const lease = await takeSweepLease(db, companyId, owner, options.leaseMs ?? DEFAULT_SWEEP_LEASE_MS);
  if (!lease) return { kind: "busy" };
  const overlap = options.overlapMs ?? DEFAULT_SWEEP_OVERLAP_MS;
  const from = lease.watermark ?? integration.activatedAt ?? new Date();
  const since = new Date(from.getTime() - overlap);
  let newest = lease.watermark;
  let listed = 0;
  let queued = 0;
  let pages = 0;
  try {
    for (let page = 1; ; page++) {
      const result = await fetchBookedPage(rackbeat, page, since, options.signal);
      pages++;
      listed += result.invoices.length;
      queued += await enqueueMissing(db, companyId, result, "sweep", undefined);
      for (const { bookedAt } of result.invoices)
        if (bookedAt && (!newest || bookedAt > newest)) newest = bookedAt;
      if (result.last) break;
    }
  } catch (error) {
    await finishSweep(db, companyId, owner, {
      watermark: lease.watermark,
      listed,
      queued,
      intervalMs: options.intervalMs,
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
  await finishSweep(db, companyId, owner, {
    watermark: newest,
    listed,
    queued,
    intervalMs: options.intervalMs,
  });
  return { kind: "done", listed, queued, pages };
}

/**
 * Enqueues the page's invoices that have no transfer yet (one query to find them); returns how many
 * it queued. `enqueueTransfer` stays the only way a transfer is made, so a webhook racing this
 * still yields one row.
 */
export async function enqueueMissing(
  db: Db,
  companyId: string,
  page: Pick<BookedPage, "invoices">,
  source: TransferSource,
  backfillId: string | undefined,
): Promise<number> {
  const numbers = [...new Set(page.invoices.map((i) => i.number))];
  if (numbers.length === 0) return 0;
  const rows = await db
    .select({ n: transfers.rackbeatInvoiceNumber })
    .from(transfers)
    .where(and(eq(transfers.companyId, companyId), inArray(transfers.rackbeatInvoiceNumber, numbers)));
  const existing = new Set(rows.map((r) => r.n));
  let queued = 0;
  for (const number of numbers) {
    if (existing.has(number)) continue;
    const result = await enqueueTransfer(db, {
      companyId,
      rackbeatInvoiceNumber: number,
      source,
      backfillId,
    });
    if (!result.created) continue;
    // enqueueTransfer notified the workers of every process.
    queued++;
  }
  return queued;
}

async function takeSweepLease(
  db: Db,
  companyId: string,
  owner: string,
  leaseMs: number,
): Promise<{ watermark: Date | null } | undefined> {
  const [row] = rowsOf<{ watermark: string | Date | null }>(
    await db.execute(sql`
      insert into rackbeat_sweeps (company_id, lease_owner, lease_expires_at, last_started_at)
      values (${companyId}::uuid, ${owner}, now() + ${leaseMs}::int * interval '1 millisecond', now())
      on conflict (company_id) do update set
        lease_owner = excluded.lease_owner,
        lease_expires_at = excluded.lease_expires_at,
        last_started_at = excluded.last_started_at
      where rackbeat_sweeps.lease_owner is null or rackbeat_sweeps.lease_expires_at <= now()
      returning watermark`),
  );
  if (!row) return undefined;
  return { watermark: row.watermark === null ? null : new Date(row.watermark) };
}

async function finishSweep(
  db: Db,
  companyId: string,
  owner: string,
  result: { watermark: Date | null; listed: number; queued: number; intervalMs?: number; error?: string },
): Promise<void> {
  const interval = result.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  await db.execute(sql`
    update rackbeat_sweeps set
      watermark = ${result.watermark ? sql`${result.watermark.toISOString()}::timestamptz` : sql`watermark`},
      lease_owner = null,
      lease_expires_at = null,
      last_finished_at = now(),
      last_listed = ${result.listed},
      last_queued = ${result.queued},
      last_error = ${result.error ?? null},
      next_run_at = now() + ${interval}::int * interval '1 millisecond'
    where company_id = ${companyId}::uuid and lease_owner = ${owner}`);
}

/** The companies whose sweep is due: connected to Rackbeat, active, and not swept recently. */
export async function dueSweepCompanies(db: Db, limit = 50): Promise<string[]> {
  return rowsOf<{ company_id: string }>(
    await db.execute(sql`
      select i.company_id from company_integrations i
      left join rackbeat_sweeps s on s.company_id = i.company_id
      where i.activated and i.rackbeat_api_key_enc is not null
        and (s.company_id is null or (s.next_run_at <= now() and (s.lease_owner is null or s.lease_expires_at <= now())))
      order by s.next_run_at nulls first
      limit ${limit}`),
  ).map((r) => r.company_id);
}
