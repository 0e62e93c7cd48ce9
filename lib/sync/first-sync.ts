import "server-only";
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { loadIntegration, rackbeatClientFor } from "@/lib/integrations/clients";
import { type ConnectionFailure, rackbeatFailure } from "@/lib/integrations/failures";
import type { IntegrationOptions } from "@/lib/integrations/options";
import { enqueueRecordSyncs } from "./enqueue";
import type { RecordKind, RecordRef } from "./record-key";

/**
 * "Synkronisér kunder og grupper nu" (and at activation): every customer group, product group and
 * customer in Rackbeat is queued for a sync, groups first. A record e-conomic already has (same
 * number) is adopted: the sync compares and updates it, never creates a second one. Queuing is
 * idempotent (one row per record), so running it again, or after a restart cut it short, queues
 * nothing twice; the progress is read from the queue itself (`recordSyncProgress`), so it survives
 * a reload of the page and a restart of the server.
 */
export type FirstSyncResult =
  | { ok: true; queued: number }
  | { ok: false; error: ConnectionFailure | "notConnected" };

const LISTS: [RecordKind, "customer_groups" | "product_groups" | "customers"][] = [
  ["customer_group", "customer_groups"],
  ["product_group", "product_groups"],
  ["customer", "customers"],
];

/** Rackbeat's page size for the lists (its documented maximum is unconfirmed; 100 is safe). */
const PAGE_SIZE = 100;

export async function startFirstSync(
  db: Db,
  companyId: string,
  options: IntegrationOptions = {},
): Promise<FirstSyncResult> {
  const integration = await loadIntegration(db, companyId);
  const rackbeat = rackbeatClientFor(integration, options);
  if (!integration || !rackbeat) return { ok: false, error: "notConnected" };
  let queued = 0;
  try {
    for (const [kind, list] of LISTS) {
      for (let page = 1; ; page++) {
        const { numbers, pages } = await rackbeat.listRecordNumbers(list, { page, limit: PAGE_SIZE });
        const records: RecordRef[] = numbers.map((number) => ({ kind, number }));
        // Queued page by page: a sync cut short keeps what it queued.
        queued += await enqueueRecordSyncs(db, companyId, records);
        if (page >= pages || numbers.length === 0) break;
      }
    }
  } catch (error) {
    return { ok: false, error: rackbeatFailure(error) };
  }
  return { ok: true, queued };
}

export interface RecordSyncProgress {
  total: number;
  synced: number;
  /** Failed for good (an admin may retry them on the review page's Stamdata view). */
  failed: number;
  /** Queued, processing or waiting to retry. */
  pending: number;
}

/** The company's master-data syncs by state (one index range over its record rows). */
export async function recordSyncProgress(db: Db, companyId: string): Promise<RecordSyncProgress> {
  const [row] = rowsOf<{ total: number; synced: number; failed: number }>(
    await db.execute(sql`
      select count(*)::int as total,
        count(*) filter (where status = 'booked')::int as synced,
        count(*) filter (where status in ('failed', 'skipped') and next_attempt_at is null)::int as failed
      from transfers
      where company_id = ${companyId}::uuid and kind <> 'invoice'`),
  );
  const total = Number(row?.total ?? 0);
  const synced = Number(row?.synced ?? 0);
  const failed = Number(row?.failed ?? 0);
  return { total, synced, failed, pending: total - synced - failed };
}
