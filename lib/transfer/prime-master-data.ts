import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { economicKnown } from "@/db/schema";
import type { EconomicClient, EconomicCustomer } from "@/lib/economic";
import { paymentTermsEntry } from "./payment-terms";
import type { CustomerSnapshot } from "./plan-types";

/**
 * Primes a company's master-data cache (`economic_known`) from e-conomic in bulk, once: the
 * agreement's customer groups, customers, product groups, products and payment terms, one list
 * call per 1,000 records. Afterwards an item missing from the cache is presumed new and created without a look-up
 * first (run.ts), so master data costs one call per record instead of a GET plus a POST.
 *
 * The cache and its marker are per agreement: a company that connects another agreement starts
 * empty and primes again. The marker row (kind "primed", key = the agreement) says how far it got:
 *   { state: "priming" }  claimed by one transfer
 *   { state: "failed" }   the listing failed; the per-item path stays
 *   { state: "done" }     the cache holds everything e-conomic had when listed
 *
 * Single-flight per (company, agreement), across processes: the primer holds a session advisory
 * lock (PRIMING_LOCK_NAMESPACE, on a connection kept for these locks) while it lists; in one process,
 * concurrent callers share one priming. A transfer that finds priming under way WAITS for it (up to
 * PRIMING_WAIT_MS) rather than looking its records up one by one meanwhile: those look-ups cost
 * calls that the priming makes needless (the issue counted 0–61 extra calls per 2,000 invoices when
 * the first transfers raced it), and a transfer's lease is kept by its heartbeat while it waits.
 * Only after the wait, or when the priming failed, does the per-item path apply.
 *
 * A "priming" marker whose lock nobody holds was left by a primer that died: taken over at once. A
 * "failed" marker is tried again once older than `STALE_CLAIM_MS`, so an e-conomic outage is not
 * hammered by every transfer. No transaction spans the HTTP calls: the claim is a single
 * `insert … on conflict` statement.
 */

export const PRIMED_KIND = "primed";
export const STALE_CLAIM_MS = 10 * 60_000;
/** How long a transfer waits for another's priming before it takes the per-item path. */
export const PRIMING_WAIT_MS = 60_000;
const PRIMING_POLL_MS = 100;
/** pg_try_advisory_lock(namespace, hashtext(company:agreement)) while priming. */
export const PRIMING_LOCK_NAMESPACE = 72_310_003;
const PAGE_SIZE = 1000;

type MarkerState = "priming" | "failed" | "done";

export type PrimingOutcome =
  /** Primed earlier: items not in the cache are new. */
  | { kind: "primed" }
  /** Primed by this call. */
  | { kind: "primedNow"; counts: PrimedCounts }
  /** Another transfer was priming for longer than the wait (or it failed recently): per-item path. */
  | { kind: "busy" }
  /** The listing failed; the per-item path applies and a later transfer tries again. */
  | { kind: "failed"; error: unknown };

export type PrimedCounts = {
  customerGroups: number;
  customers: number;
  productGroups: number;
  products: number;
  paymentTerms: number;
};

export interface PrimingScope {
  db: Db;
  economic: EconomicClient;
  companyId: string;
  /** The agreement the cache is about; a company connected to another agreement primes again. */
  agreementKey: string;
  signal?: AbortSignal;
}

export function agreementKeyOf(agreementNumber: number | null | undefined): string {
  return agreementNumber === null || agreementNumber === undefined ? "unknown" : String(agreementNumber);
}

/** The customer fields the engine syncs, as e-conomic has them (the cache's customer data). */
export function customerSnapshotOf(
  customer: Pick<
    EconomicCustomer,
    | "name"
    | "currency"
    | "customerGroup"
    | "paymentTerms"
    | "vatZone"
    | "ean"
    | "corporateIdentificationNumber"
    | "address"
    | "zip"
    | "city"
    | "country"
    | "email"
    | "attention"
  >,
): CustomerSnapshot {
  const optional = {
    attentionContactNumber: customer.attention?.customerContactNumber,
    ean: customer.ean,
    corporateIdentificationNumber: customer.corporateIdentificationNumber,
    address: customer.address,
    zip: customer.zip,
    city: customer.city,
    country: customer.country,
    email: customer.email,
  };
  return {
    name: customer.name,
    currency: customer.currency,
    customerGroupNumber: customer.customerGroup.customerGroupNumber,
    paymentTermsNumber: customer.paymentTerms.paymentTermsNumber,
    vatZoneNumber: customer.vatZone.vatZoneNumber as CustomerSnapshot["vatZoneNumber"],
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ) as Partial<CustomerSnapshot>),
  };
}

/** Whether the company's cache was primed for the agreement (one primary-key read). */
export async function isPrimed(db: Db, companyId: string, agreementKey: string): Promise<boolean> {
  const [row] = await db
    .select({ data: economicKnown.data })
    .from(economicKnown)
    .where(
      and(
        eq(economicKnown.companyId, companyId),
        eq(economicKnown.agreement, agreementKey),
        eq(economicKnown.kind, PRIMED_KIND),
        eq(economicKnown.key, agreementKey),
      ),
    );
  return (row?.data as { state?: MarkerState } | null)?.state === "done";
}

/**
 * Claims the marker: inserts it, or takes over a "priming" claim (its primer died: the caller holds
 * the priming lock) or a stale "failed" one. Exactly one of several concurrent callers gets `true`.
 */
async function claim(db: Db, companyId: string, agreementKey: string, staleMs: number): Promise<boolean> {
  const data = JSON.stringify({ state: "priming", claimedAt: new Date().toISOString() });
  const rows = rowsOf<{ key: string }>(
    await db.execute(sql`
      insert into economic_known (company_id, agreement, kind, key, data, updated_at)
      values (${companyId}::uuid, ${agreementKey}, ${PRIMED_KIND}, ${agreementKey}, ${data}::jsonb, now())
      on conflict (company_id, agreement, kind, key) do update set data = excluded.data, updated_at = now()
      where economic_known.data->>'state' = 'priming'
        or economic_known.data->>'state' = 'failed'
          and economic_known.updated_at < now() - ${staleMs}::int * interval '1 millisecond'
      returning key`),
  );
  return rows.length === 1;
}

async function setMarker(
  db: Db,
  companyId: string,
  agreementKey: string,
  data: { state: MarkerState } & Record<string, unknown>,
): Promise<void> {
  await db
    .update(economicKnown)
    .set({ data, updatedAt: new Date() })
    .where(
      and(
        eq(economicKnown.companyId, companyId),
        eq(economicKnown.agreement, agreementKey),
        eq(economicKnown.kind, PRIMED_KIND),
        eq(economicKnown.key, agreementKey),
      ),
    );
}

type KnownRow = typeof economicKnown.$inferInsert;

/**
 * Streams one e-conomic collection into the cache, a page at a time. Rows the engine wrote
 * meanwhile (a concurrent transfer created or updated the record) are newer and win.
 */
async function copyCollection<T>(
  db: Db,
  items: AsyncIterable<T>,
  toRow: (item: T) => KnownRow,
): Promise<number> {
  let buffer: KnownRow[] = [];
  let total = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const unique = new Map(buffer.map((row) => [`${row.kind}|${row.key}`, row]));
    await db
      .insert(economicKnown)
      .values([...unique.values()])
      .onConflictDoNothing();
    total += unique.size;
    buffer = [];
  };
  for await (const item of items) {
    buffer.push(toRow(item));
    if (buffer.length >= PAGE_SIZE) await flush();
  }
  await flush();
  return total;
}

/** Runs the listings side by side; the first failure stops the others before it is thrown. */
async function listInto(scope: PrimingScope): Promise<PrimedCounts> {
  const { db, economic, companyId, agreementKey: agreement } = scope;
  const controller = new AbortController();
  const stop = () => controller.abort(scope.signal?.reason);
  scope.signal?.addEventListener("abort", stop, { once: true });
  const query = { pageSize: PAGE_SIZE };
  const options = { signal: controller.signal };
  let firstError: { error: unknown } | undefined;
  const guarded = (work: Promise<number>) =>
    work.catch((error: unknown) => {
      firstError ??= { error };
      controller.abort();
      return 0;
    });
  try {
    const [customerGroups, customers, productGroups, products, paymentTerms] = await Promise.all([
      guarded(
        copyCollection(db, economic.customerGroups.iterate(query, options), (g) => ({
          companyId,
          agreement,
          kind: "customerGroup",
          key: String(g.customerGroupNumber),
          data: null,
        })),
      ),
      guarded(
        copyCollection(db, economic.customers.iterate(query, options), (c) => ({
          companyId,
          agreement,
          kind: "customer",
          key: String(c.customerNumber),
          data: customerSnapshotOf(c),
        })),
      ),
      guarded(
        copyCollection(db, economic.productGroups.iterate(query, options), (g) => ({
          companyId,
          agreement,
          kind: "productGroup",
          key: String(g.productGroupNumber),
          data: null,
        })),
      ),
      // No details: the product's unit and group as Rackbeat has them are read (and cached) on first use.
      guarded(
        copyCollection(db, economic.products.iterate(query, options), (p) => ({
          companyId,
          agreement,
          kind: "product",
          key: p.productNumber,
          data: null,
        })),
      ),
      // Their type decides whether a draft needs a dueDate (payment-terms.ts).
      guarded(
        copyCollection(db, economic.paymentTerms.iterate(query, options), (t) => {
          const entry = paymentTermsEntry(t);
          return { companyId, agreement, kind: entry.kind, key: String(entry.key), data: entry.data };
        }),
      ),
    ]);
    if (firstError) throw firstError.error;
    return { customerGroups, customers, productGroups, products, paymentTerms };
  } finally {
    scope.signal?.removeEventListener("abort", stop);
  }
}

/**
 * Primes the cache unless that was done already; waits while another transfer primes it (in this
 * process or another). Never throws for an e-conomic failure: priming is an optimisation and the
 * per-item path is always correct.
 */
export async function ensurePrimed(
  scope: PrimingScope,
  options: { staleMs?: number; waitMs?: number } = {},
): Promise<PrimingOutcome> {
  const { db, companyId, agreementKey } = scope;
  if (await isPrimed(db, companyId, agreementKey)) return { kind: "primed" };
  // One priming per (company, agreement) in this process: the others await the same one.
  const inProcess = primingsOf(db);
  const key = `${companyId}:${agreementKey}`;
  const running = inProcess.get(key);
  if (running) {
    // A transfer being stopped stops waiting (its own signal), whatever the primer does.
    const outcome = await Promise.race([running, whenAborted(scope.signal)]);
    return outcome.kind === "primedNow" || outcome.kind === "primed" ? { kind: "primed" } : { kind: "busy" };
  }
  const work = primeAcrossProcesses(
    scope,
    options.staleMs ?? STALE_CLAIM_MS,
    options.waitMs ?? PRIMING_WAIT_MS,
  );
  inProcess.set(key, work);
  try {
    return await work;
  } finally {
    inProcess.delete(key);
  }
}

function whenAborted(signal: AbortSignal | undefined): Promise<PrimingOutcome> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve({ kind: "busy" });
    else signal.addEventListener("abort", () => resolve({ kind: "busy" }), { once: true });
  });
}

// Per database client (tests open several), on globalThis: Next bundles the instrumentation hook
// and the route handlers separately (two module instances, one process).
const g = globalThis as unknown as { __primings?: WeakMap<object, Map<string, Promise<PrimingOutcome>>> };

function primingsOf(db: Db): Map<string, Promise<PrimingOutcome>> {
  g.__primings ??= new WeakMap();
  const client = (db as unknown as { $client: object }).$client;
  let map = g.__primings.get(client);
  if (!map) {
    map = new Map();
    g.__primings.set(client, map);
  }
  return map;
}

/** Takes the priming lock (or waits while another process holds it), then primes unless done. */
async function primeAcrossProcesses(
  scope: PrimingScope,
  staleMs: number,
  waitMs: number,
): Promise<PrimingOutcome> {
  const { db, companyId, agreementKey } = scope;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = await tryPrimingLock(db, companyId, agreementKey);
    if (lock) {
      try {
        // Whoever held the lock before may have finished it.
        if (await isPrimed(db, companyId, agreementKey)) return { kind: "primed" };
        return await primeNow(scope, staleMs);
      } finally {
        await lock.release();
      }
    }
    // Another process primes: wait for it, then use what it listed.
    if (Date.now() >= deadline || scope.signal?.aborted) return { kind: "busy" };
    await new Promise((resolve) => setTimeout(resolve, PRIMING_POLL_MS));
    if (await isPrimed(db, companyId, agreementKey)) return { kind: "primed" };
  }
}

interface PrimingLock {
  release(): Promise<void>;
}

/**
 * The session advisory lock of (company, agreement), or null when another session holds it. Taken
 * on one connection per process and database kept for these locks (postgres.js, max 1), never on a
 * pool connection: primers holding pool connections while their own inserts wait for one could
 * exhaust the pool. One session holds the locks of every priming of this process; the in-process
 * single-flight (ensurePrimed) keeps two of its primings of one key apart. PGlite is one session in
 * one process: the in-process single-flight is all there is to serialise, no lock.
 */
async function tryPrimingLock(db: Db, companyId: string, agreementKey: string): Promise<PrimingLock | null> {
  const connection = await lockConnectionOf(db);
  if (!connection) return { release: async () => {} };
  const lockKey = `${companyId}:${agreementKey}`;
  const [row] = await connection`
    select pg_try_advisory_lock(${PRIMING_LOCK_NAMESPACE}::int, hashtext(${lockKey})) as locked`;
  if (!row?.locked) return null;
  return {
    async release() {
      await connection`select pg_advisory_unlock(${PRIMING_LOCK_NAMESPACE}::int, hashtext(${lockKey}))`;
    },
  };
}

type LockSql = (strings: TemplateStringsArray, ...values: unknown[]) => Promise<{ locked?: boolean }[]>;

const locks = globalThis as unknown as { __primingLockConnections?: WeakMap<object, Promise<LockSql>> };

async function lockConnectionOf(db: Db): Promise<LockSql | null> {
  const client = (db as unknown as { $client: { options?: object; unsafe?: unknown } }).$client;
  if (typeof client.unsafe !== "function" || !client.options) return null;
  locks.__primingLockConnections ??= new WeakMap();
  let connection = locks.__primingLockConnections.get(client);
  if (!connection) {
    connection = import("postgres").then(
      ({ default: postgres }) =>
        // The pool's own (parsed) options, as postgres.js's own `listen` does. Not closed on idle:
        // that would drop the locks it holds while a priming lists.
        postgres({
          ...client.options,
          max: 1,
          idle_timeout: null,
          max_lifetime: null,
          fetch_types: false,
        } as never) as unknown as LockSql,
    );
    locks.__primingLockConnections.set(client, connection);
  }
  return connection;
}

/** Claims the marker and lists everything into the cache (the caller holds the priming lock). */
async function primeNow(scope: PrimingScope, staleMs: number): Promise<PrimingOutcome> {
  const { db, companyId, agreementKey } = scope;
  if (!(await claim(db, companyId, agreementKey, staleMs))) {
    // A recent failure: the per-item path until the marker goes stale.
    return (await isPrimed(db, companyId, agreementKey)) ? { kind: "primed" } : { kind: "busy" };
  }
  try {
    const counts = await listInto(scope);
    await setMarker(db, companyId, agreementKey, {
      state: "done",
      primedAt: new Date().toISOString(),
      ...counts,
    });
    return { kind: "primedNow", counts };
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : String(error);
    await setMarker(db, companyId, agreementKey, {
      state: "failed",
      failedAt: new Date().toISOString(),
      detail,
    }).catch(() => undefined);
    return { kind: "failed", error };
  }
}
