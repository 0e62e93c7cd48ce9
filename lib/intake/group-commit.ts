import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import type { TransferStatus } from "@/db/schema";
import { type EnqueueInput, type EnqueueResult, enqueueTransfer } from "@/lib/transfer/queue";

/**
 * Group-committed intake: concurrent webhook deliveries share one transaction (one commit, one WAL
 * flush) instead of one each. A delivery waits at most `windowMs` for company, or until `maxBatch`
 * deliveries are waiting; each caller's promise resolves only after the transaction holding its
 * transfer has committed, so the intake answers 202 only for what is durable (the same promise as
 * `enqueueTransfer`, per delivery).
 *
 * The batch writes every new transfer and its event in one statement; a delivery for an invoice
 * that already has a transfer (a repeat, or a second delivery of the same invoice in the batch)
 * goes through `enqueueTransfer` inside the same transaction, so repeats answer exactly as before.
 * If the batch's transaction fails, each of its deliveries is tried again on its own, so one bad
 * delivery never fails the others.
 */

export interface GroupCommitOptions {
  /** How long the first delivery of a batch waits for others (ms; 0 = until the next tick). */
  windowMs: number;
  /** Deliveries per transaction at most. */
  maxBatch: number;
  /** Transactions in flight at once at most (each holds one pooled connection). */
  maxInFlight: number;
}

export const DEFAULT_GROUP_COMMIT: Readonly<GroupCommitOptions> = Object.freeze({
  windowMs: 1,
  maxBatch: 64,
  maxInFlight: 4,
});

/** What one batch needs of the database: a transaction running statements (Db or a test double). */
type BatchDb = Pick<Db, "transaction">;

interface Waiting {
  input: EnqueueInput;
  resolve(result: EnqueueResult): void;
  reject(error: unknown): void;
}

export interface GroupCommitter {
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  /** Deliveries waiting for a batch and batches in flight, for tests. */
  readonly pending: number;
}

/** Deliveries only: each must name the webhook event that brought it (the intake always does). */
export function createGroupCommitter(db: Db, options: Partial<GroupCommitOptions> = {}): GroupCommitter {
  const { windowMs, maxBatch, maxInFlight } = { ...DEFAULT_GROUP_COMMIT, ...options };
  let waiting: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = 0;
  let pendingInBatches = 0;

  const flush = () => {
    timer = undefined;
    while (waiting.length > 0 && inFlight < maxInFlight) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      pendingInBatches += batch.length;
      void commitBatch(db, batch).finally(() => {
        inFlight--;
        pendingInBatches -= batch.length;
        // Whatever gathered meanwhile goes at once: it has waited for this batch already.
        if (waiting.length > 0 && timer === undefined) flush();
      });
    }
  };

  return {
    enqueue(input) {
      if (!input.event) return enqueueTransfer(db, input);
      return new Promise<EnqueueResult>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (waiting.length >= maxBatch) {
          if (timer !== undefined) clearTimeout(timer);
          flush();
        } else if (timer === undefined && inFlight < maxInFlight) {
          timer = setTimeout(flush, windowMs);
        }
      });
    },
    get pending() {
      return waiting.length + pendingInBatches;
    },
  };
}

async function commitBatch(db: BatchDb, batch: Waiting[]): Promise<void> {
  let results: EnqueueResult[];
  try {
    results = await (db as Db).transaction((tx) => enqueueBatch(tx as unknown as Db, batch));
  } catch {
    // Alone, each delivery gets its own answer (and its own error) as without group commit.
    await Promise.all(
      batch.map((w) =>
        enqueueTransfer(db as Db, w.input).then(w.resolve, (error: unknown) => w.reject(error)),
      ),
    );
    return;
  }
  for (const [i, w] of batch.entries()) w.resolve(results[i]!);
}

/** Inserts the batch's new transfers with their events in one statement; repeats one by one. */
async function enqueueBatch(tx: Db, batch: Waiting[]): Promise<EnqueueResult[]> {
  const keyOf = (input: EnqueueInput) => `${input.companyId}\u0000${input.rackbeatInvoiceNumber}`;
  const firsts = new Map<string, number>();
  batch.forEach((w, i) => {
    if (!firsts.has(keyOf(w.input))) firsts.set(keyOf(w.input), i);
  });
  const rows = [...firsts.values()].map((i) => {
    const { input } = batch[i]!;
    return {
      i,
      company_id: input.companyId,
      number: input.rackbeatInvoiceNumber,
      source: input.source ?? "webhook",
      event: input.event!.event,
      key: input.event!.key,
      headers: input.event!.headers,
      body: input.event!.body,
    };
  });
  const inserted = rowsOf<{ i: number; id: string; status: TransferStatus }>(
    await tx.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as x(i int, company_id uuid, number text, source text, event text, key text, headers jsonb, body jsonb)
      ), t as (
        insert into transfers (company_id, rackbeat_invoice_number, source)
        select company_id, number, source from input order by i
        on conflict (company_id, rackbeat_invoice_number) do nothing
        returning id, company_id, rackbeat_invoice_number, status
      ), e as (
        insert into webhook_events (company_id, transfer_id, event, key, headers, body)
        select input.company_id, t.id, input.event, input.key, input.headers, input.body
        from input join t on t.company_id = input.company_id and t.rackbeat_invoice_number = input.number
        order by input.i
      )
      select input.i, t.id, t.status::text as status
      from input join t on t.company_id = input.company_id and t.rackbeat_invoice_number = input.number`),
  );
  const results: (EnqueueResult | undefined)[] = new Array(batch.length);
  for (const row of inserted) {
    results[Number(row.i)] = { transferId: row.id, status: row.status, created: true };
  }
  // Repeats (of an earlier transfer, or of one just inserted in this batch) as enqueueTransfer does.
  for (let i = 0; i < batch.length; i++) {
    if (results[i] === undefined) results[i] = await enqueueTransfer(tx, batch[i]!.input);
  }
  return results as EnqueueResult[];
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
