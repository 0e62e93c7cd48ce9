import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import type { TransferStatus } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import { notifyQueuedSql } from "@/lib/transfer/wakeup";
import { enqueueAuthenticated, type FastDelivery, type FastResult } from "./authenticated-enqueue";

/**
 * Group-committed intake: concurrent webhook deliveries share one statement, hence one commit (one
 * WAL flush), instead of one each — the classic leader/follower group commit. A delivery that
 * arrives while a statement slot is free goes at once (after the deliveries of the same turn of the
 * event loop have joined it, `setImmediate`), so a lone sender pays what one statement costs and is
 * never held by a window. Deliveries arriving while `maxInFlight` statements are running gather and
 * go together, up to `maxBatch` per statement, as soon as one of those statements finishes: batches
 * grow with the load, by themselves. Each caller's promise resolves only after the statement
 * holding its transfer has committed, so the intake answers 202 only for what is durable.
 *
 * The batch statement does for a whole batch what `enqueueAuthenticated` does for one delivery:
 * authenticate each (account, invoice webhook token, an event registered for invoices only) and
 * insert every new transfer with its event; a batch of one is `enqueueAuthenticated` itself (the
 * cheaper statement). A delivery it cannot vouch for answers `unsure` and a repeated invoice (an
 * earlier transfer, or a second delivery of it in the same batch) `repeat`, exactly as
 * `enqueueAuthenticated` answers; the intake takes its full path for those. If a batch fails, each
 * of its deliveries is tried again on its own, so one bad delivery never fails the others.
 */

export interface GroupCommitOptions {
  /**
   * How long a delivery that finds a free slot waits for others before its statement goes (ms).
   * 0 (the default): no timer, only until the end of the current turn of the event loop.
   */
  windowMs: number;
  /** Deliveries per statement at most. */
  maxBatch: number;
  /** Statements in flight at once at most (each holds one pooled connection). */
  maxInFlight: number;
}

export const DEFAULT_GROUP_COMMIT: Readonly<GroupCommitOptions> = Object.freeze({
  windowMs: 0,
  maxBatch: 64,
  // 2 measured best on 2 cores at 16 and 64 senders (npm run bench:ingest): fewer, fuller batches.
  maxInFlight: 2,
});

interface Waiting {
  delivery: FastDelivery;
  resolve(result: FastResult): void;
  reject(error: unknown): void;
}

export interface GroupCommitter {
  deliver(delivery: FastDelivery): Promise<FastResult>;
  /** Deliveries waiting for a batch or in one, for tests. */
  readonly pending: number;
  /** Statements sent so far (batches, not counting the retries of a failed one), for tests. */
  readonly statements: number;
}

export function createGroupCommitter(db: Db, options: Partial<GroupCommitOptions> = {}): GroupCommitter {
  const { windowMs, maxBatch, maxInFlight } = { ...DEFAULT_GROUP_COMMIT, ...options };
  const waiting: Waiting[] = [];
  /** A flush is due (a timer, or the end of this turn of the event loop). */
  let scheduled: { cancel(): void } | undefined;
  let inFlight = 0;
  let inBatches = 0;
  let statements = 0;

  const flush = () => {
    scheduled?.cancel();
    scheduled = undefined;
    while (waiting.length > 0 && inFlight < maxInFlight) {
      const batch = waiting.splice(0, maxBatch);
      inFlight++;
      statements++;
      inBatches += batch.length;
      void commitBatch(db, batch).finally(() => {
        inFlight--;
        inBatches -= batch.length;
        // Whatever gathered meanwhile goes at once: it has waited for this batch already.
        if (waiting.length > 0) flush();
      });
    }
  };

  const schedule = () => {
    if (scheduled) return;
    if (windowMs > 0) {
      const timer = setTimeout(flush, windowMs);
      scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(flush);
      scheduled = { cancel: () => clearImmediate(immediate) };
    }
  };

  return {
    deliver(delivery) {
      return new Promise<FastResult>((resolve, reject) => {
        waiting.push({ delivery, resolve, reject });
        // Every slot busy: the first statement to finish takes this delivery along.
        if (inFlight >= maxInFlight) return;
        if (waiting.length >= maxBatch) flush();
        else schedule();
      });
    },
    get pending() {
      return waiting.length + inBatches;
    },
    get statements() {
      return statements;
    },
  };
}

async function commitBatch(db: Db, batch: Waiting[]): Promise<void> {
  if (batch.length === 1) {
    const [w] = batch as [Waiting];
    await enqueueAuthenticated(db, w.delivery).then(w.resolve, (error: unknown) => w.reject(error));
    return;
  }
  let results: FastResult[];
  try {
    results = await enqueueBatch(db, batch);
  } catch {
    // Alone, each delivery gets its own answer (and its own error) as without group commit.
    await Promise.all(
      batch.map((w) =>
        enqueueAuthenticated(db, w.delivery).then(w.resolve, (error: unknown) => w.reject(error)),
      ),
    );
    return;
  }
  for (const [i, w] of batch.entries()) w.resolve(results[i]!);
}

/** One statement (one commit): authenticate every delivery, insert the new transfers and events. */
async function enqueueBatch(db: Db, batch: Waiting[]): Promise<FastResult[]> {
  const rows = batch.map(({ delivery: d }, i) => ({
    i,
    account_id: d.accountId,
    token_hash: hashToken(d.token),
    event: d.event.event,
    number: d.invoiceNumber,
    key: d.event.key,
    headers: d.event.headers,
    body: d.event.body,
  }));
  const answered = rowsOf<{
    i: number;
    company_id: string;
    id: string | null;
    status: TransferStatus | null;
  }>(
    await db.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
          i int, account_id text, token_hash text, event text, number text, key text, headers jsonb, body jsonb)
      ), auth as (
        select input.*, ci.company_id from input
        join company_integrations ci
          on ci.rackbeat_account_id = input.account_id
          and ci.rackbeat_webhook_token_hash = input.token_hash
          and input.event = any(ci.rackbeat_webhook_events)
          and not exists (
            select 1 from jsonb_array_elements(ci.rackbeat_record_webhooks) h where h->>'event' = input.event
          )
      ), firsts as (
        select distinct on (company_id, number) * from auth order by company_id, number, i
      ), t as (
        insert into transfers (company_id, rackbeat_invoice_number, source)
        select company_id, number, 'webhook' from firsts order by i
        on conflict (company_id, rackbeat_invoice_number) do nothing
        returning id, company_id, rackbeat_invoice_number, status
      ), e as (
        insert into webhook_events (company_id, transfer_id, event, key, headers, body)
        select f.company_id, t.id, f.event, f.key, f.headers, f.body
        from firsts f join t on t.company_id = f.company_id and t.rackbeat_invoice_number = f.number
        order by f.i
      )
      select a.i, a.company_id::text as company_id, t.id::text as id, t.status::text as status,
        -- Wakes idle workers in every process (lib/transfer/wakeup.ts), on commit.
        case when t.id is not null then ${notifyQueuedSql(sql`t.company_id`)} end as notified
      from auth a
      left join firsts f on f.i = a.i
      left join t on t.company_id = f.company_id and t.rackbeat_invoice_number = f.number`),
  );
  const results: FastResult[] = batch.map(() => ({ kind: "unsure" }));
  for (const row of answered) {
    results[Number(row.i)] =
      row.id && row.status
        ? { kind: "created", companyId: row.company_id, transferId: row.id, status: row.status }
        : { kind: "repeat", companyId: row.company_id };
  }
  return results;
}

// One committer per database handle (Next shares one Db per process; tests open many).
const committers = new WeakMap<Db, GroupCommitter>();

/** The process's committer for `db`, created with `options` on first use. */
export function groupCommitterFor(db: Db, options?: Partial<GroupCommitOptions>): GroupCommitter {
  let committer = committers.get(db);
  if (!committer) {
    committer = createGroupCommitter(db, options);
    committers.set(db, committer);
  }
  return committer;
}
