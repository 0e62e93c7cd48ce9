import { asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { companies, transferAttempts, transfers } from "@/db/schema";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import {
  claimTransfers,
  completeTransfer,
  DEFAULT_QUEUE_RETRY_POLICY,
  decideCompletion,
  enqueueTransfer,
  makeProcessContext,
  releaseTransfer,
  requeueTransfer,
} from "./queue";
import { LeaseLostError, type ProcessOutcome, type TransferProcessor } from "./types";
import { onTransferQueued } from "./wakeup";
import { startWorker, type TransferWorker, WORKER_EXCEPTION_CODE } from "./worker";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(20);
  }
}

const quietLogger = { error: () => {}, warn: () => {} };

describe("decideCompletion", () => {
  const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 5000 };
  const retry: ProcessOutcome = { kind: "retry", error: { code: "economic_unavailable" } };

  it.each([
    [{ kind: "done", status: "booked" } as ProcessOutcome, "booked", "done"],
    [{ kind: "done", status: "draft" } as ProcessOutcome, "draft", "done"],
    [{ kind: "skipped", reason: "not_activated" } as ProcessOutcome, "skipped", "skipped"],
    [{ kind: "failed", error: { code: "economic_validation" } } as ProcessOutcome, "failed", "failed"],
  ])("%j → %s, nothing scheduled", (outcome, status, attemptOutcome) => {
    const d = decideCompletion(outcome, 1, policy);
    expect(d).toMatchObject({ status, attemptOutcome, retryInMs: null });
    expect(d.skipReason).toBe(outcome.kind === "skipped" ? outcome.reason : null);
  });

  it("backs off exponentially with full jitter, capped", () => {
    expect(decideCompletion(retry, 1, policy, () => 0.999).retryInMs).toBe(999);
    expect(decideCompletion(retry, 2, policy, () => 0.999).retryInMs).toBe(1998);
    expect(decideCompletion(retry, 2, { ...policy, maxAttempts: 9 }, () => 0.5).retryInMs).toBe(1000);
    expect(decideCompletion(retry, 8, { ...policy, maxAttempts: 9 }, () => 0.999).retryInMs).toBe(4995);
  });

  it("honours the server's Retry-After as the least wait", () => {
    const throttled: ProcessOutcome = { ...retry, retryAfterMs: 30_000 } as ProcessOutcome;
    expect(decideCompletion(throttled, 1, policy, () => 0.5).retryInMs).toBe(30_000);
  });

  it("gives up at the limit, keeping the reason", () => {
    expect(decideCompletion(retry, 2, policy)).toMatchObject({ status: "failed", attemptOutcome: "retry" });
    expect(decideCompletion(retry, 3, policy)).toMatchObject({
      status: "failed",
      retryInMs: null,
      attemptOutcome: "gave_up",
      lastError: { code: "economic_unavailable" },
    });
  });

  it("defaults to 8 attempts", () => {
    expect(DEFAULT_QUEUE_RETRY_POLICY.maxAttempts).toBe(8);
  });
});

describe.each(dbKinds)("durable transfer queue on %s", (kind) => {
  let t: TestDb;
  const workers: TransferWorker[] = [];

  const newCompany = async (name = "Kunde ApS") => {
    const [row] = await t.db.insert(companies).values({ name }).returning({ id: companies.id });
    return row!.id;
  };
  const addTransfers = async (companyId: string, count: number, prefix = "") => {
    const rows = await t.db
      .insert(transfers)
      .values(
        Array.from({ length: count }, (_, i) => ({ companyId, rackbeatInvoiceNumber: `${prefix}${i + 1}` })),
      )
      .returning({ id: transfers.id });
    return rows.map((r) => r.id);
  };
  const transferRow = async (id: string) => {
    const [row] = await t.db.select().from(transfers).where(eq(transfers.id, id));
    return row!;
  };
  const attemptsOf = (id: string) =>
    t.db
      .select()
      .from(transferAttempts)
      .where(eq(transferAttempts.transferId, id))
      .orderBy(asc(transferAttempts.id));
  const countStatus = async (status: string) => {
    const [row] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(transfers)
      .where(sql`${transfers.status} = ${status}`);
    return Number(row!.n);
  };
  const start = (processor: TransferProcessor, options: Partial<Parameters<typeof startWorker>[0]> = {}) => {
    const w = startWorker({ db: async () => t.db, processor, pollMs: 20, logger: quietLogger, ...options });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 0 })));
    await t.db.delete(companies);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("4 concurrent workers process each of 200 transfers exactly once", async () => {
    for (let c = 0; c < 10; c++) await addTransfers(await newCompany(`Firma ${c}`), 20);
    const seen = new Map<string, string[]>();
    const processor: TransferProcessor = async (transfer, ctx) => {
      seen.set(transfer.id, [...(seen.get(transfer.id) ?? []), ctx.workerId]);
      await sleep(Math.random() * 4);
      await ctx.update({ customerName: `done by ${ctx.workerId}` });
      return { kind: "done", status: "draft" };
    };
    for (let i = 0; i < 4; i++) start(processor, { workerId: `w${i}`, concurrency: 4 });

    await waitFor(async () => (await countStatus("draft")) === 200);
    expect(seen.size).toBe(200);
    expect([...seen.values()].filter((byWorker) => byWorker.length !== 1)).toEqual([]);
    // Every worker took part.
    expect(new Set([...seen.values()].flat()).size).toBe(4);
    const all = await t.db.select().from(transfers);
    expect(all.every((r) => r.attempts === 1 && r.leaseOwner === null && r.nextAttemptAt === null)).toBe(
      true,
    );
    expect(all.every((r) => r.customerName === `done by ${seen.get(r.id)![0]}`)).toBe(true);
    const attempts = await t.db.select().from(transferAttempts);
    expect(attempts).toHaveLength(200);
    expect(attempts.every((a) => a.outcome === "done" && a.finishedAt !== null)).toBe(true);
  });

  it("keeps at most K transfers of a company in flight across workers", async () => {
    const a = await newCompany("A");
    const b = await newCompany("B");
    await addTransfers(a, 16);
    await addTransfers(b, 16);
    const current = new Map<string, number>();
    const max = new Map<string, number>();
    const processor: TransferProcessor = async (transfer) => {
      const n = (current.get(transfer.companyId) ?? 0) + 1;
      current.set(transfer.companyId, n);
      max.set(transfer.companyId, Math.max(max.get(transfer.companyId) ?? 0, n));
      await sleep(15 + Math.random() * 10);
      current.set(transfer.companyId, current.get(transfer.companyId)! - 1);
      return { kind: "done", status: "booked" };
    };
    for (let i = 0; i < 4; i++) start(processor, { concurrency: 4, perCompanyLimit: 2 });

    await waitFor(async () => (await countStatus("booked")) === 32);
    expect(max.get(a)).toBeLessThanOrEqual(2);
    expect(max.get(b)).toBeLessThanOrEqual(2);
    // The limit was reached, so it was the limit (not a lack of concurrency) that held.
    expect(Math.max(max.get(a)!, max.get(b)!)).toBe(2);
  });

  it("serves companies side by side rather than one backlog first", async () => {
    const big = await newCompany("Stor");
    const small = await newCompany("Lille");
    await addTransfers(big, 30);
    await addTransfers(small, 1);
    const claimed = await claimTransfers(t.db, { workerId: "w", limit: 8, perCompanyLimit: 4 });
    expect(claimed).toHaveLength(5);
    expect(claimed.filter((c) => c.companyId === small)).toHaveLength(1);
    expect(claimed.filter((c) => c.companyId === big)).toHaveLength(4);
    // Its 4 in flight count: no more of the big company until one finishes.
    expect(await claimTransfers(t.db, { workerId: "w2", limit: 8, perCompanyLimit: 4 })).toEqual([]);
  });

  it("claims in one statement and says how many attempts were made since the last manual retry", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    await t.db
      .update(transfers)
      .set({ status: "failed", attempts: 5, retryBaseAttempts: 3, nextAttemptAt: sql`now()` })
      .where(eq(transfers.id, id!));
    const [claimed] = await claimTransfers(t.db, { workerId: "w", limit: 4 });
    expect(claimed).toMatchObject({ id, companyId, attempt: 6, attemptsSinceRetry: 3, checkpoint: {} });
    expect(await transferRow(id!)).toMatchObject({ status: "processing", leaseOwner: "w", attempts: 6 });
    const row = await transferRow(id!);
    // While processing, next_attempt_at mirrors the lease.
    expect(row.nextAttemptAt?.getTime()).toBe(row.leaseExpiresAt?.getTime());
    expect((await attemptsOf(id!)).map((a) => [a.attempt, a.worker, a.outcome])).toEqual([[6, "w", null]]);
  });

  it("recovers a transfer whose worker died once its lease expires; the stale worker is fenced", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    const [dead] = await claimTransfers(t.db, { workerId: "dead", limit: 1, leaseMs: 300 });
    expect(dead).toMatchObject({ id, attempt: 1, checkpoint: {} });
    // Not due while the lease lasts.
    expect(await claimTransfers(t.db, { workerId: "other", limit: 1 })).toEqual([]);

    const processedBy: string[] = [];
    start(
      async (_transfer, ctx) => {
        processedBy.push(ctx.workerId);
        await ctx.update({ customerName: "Ny ejer" });
        return { kind: "done", status: "draft" };
      },
      { workerId: "rescuer", pollMs: 50 },
    );
    const row = await waitFor(async () => {
      const r = await transferRow(id!);
      return r.status === "draft" && r;
    });
    expect(processedBy).toEqual(["rescuer"]);
    expect(row.attempts).toBe(2);
    const attempts = await attemptsOf(id!);
    expect(attempts.map((a) => [a.attempt, a.worker, a.outcome])).toEqual([
      [1, "dead", null],
      [2, "rescuer", "done"],
    ]);

    // The dead worker wakes up: nothing it writes lands.
    const staleCtx = makeProcessContext(t.db, dead!, { workerId: "dead", leaseMs: 300 });
    await expect(staleCtx.update({ customerName: "Forældet" })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await completeTransfer(t.db, dead!, "dead", { kind: "failed", error: { code: "x" } })).toBe(false);
    expect(await transferRow(id!)).toMatchObject({ status: "draft", customerName: "Ny ejer" });
  });

  it("fences a worker whose lease expired even before anyone else took over", async () => {
    const companyId = await newCompany();
    await addTransfers(companyId, 1);
    const [claimed] = await claimTransfers(t.db, { workerId: "slow", limit: 1, leaseMs: 100 });
    const ctx = makeProcessContext(t.db, claimed!, { workerId: "slow", leaseMs: 100 });
    await ctx.update({ customerName: "i tide" });
    await sleep(200);
    await expect(ctx.update({ customerName: "for sent" })).rejects.toBeInstanceOf(LeaseLostError);
    expect((await transferRow(claimed!.id)).customerName).toBe("i tide");
  });

  it("heartbeats keep the lease of a long-running transfer", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    let runs = 0;
    start(
      async () => {
        runs++;
        await sleep(700);
        return { kind: "done", status: "draft" };
      },
      { leaseMs: 300 },
    );
    await waitFor(async () => (await transferRow(id!)).status === "processing");
    start(async () => {
      runs++;
      return { kind: "done", status: "draft" };
    });
    await waitFor(async () => (await transferRow(id!)).status === "draft");
    expect(runs).toBe(1);
  });

  it("retries with back-off, then gives up at the limit with the reason", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    const times: number[] = [];
    start(
      async () => {
        times.push(Date.now());
        return { kind: "retry", error: { code: "economic_unavailable", detail: "503" } };
      },
      { retryPolicy: { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 80 } },
    );
    const row = await waitFor(async () => {
      const r = await transferRow(id!);
      return r.status === "failed" && r.nextAttemptAt === null && r;
    });
    expect(row.attempts).toBe(3);
    expect(row.lastError).toEqual({ code: "economic_unavailable", detail: "503" });
    expect((await attemptsOf(id!)).map((a) => a.outcome)).toEqual(["retry", "retry", "gave_up"]);
    expect(times).toHaveLength(3);
  });

  it("schedules a retry no sooner than the server's Retry-After", async () => {
    const companyId = await newCompany();
    await addTransfers(companyId, 1);
    const [claimed] = await claimTransfers(t.db, { workerId: "w", limit: 1 });
    const outcome: ProcessOutcome = {
      kind: "retry",
      error: { code: "economic_rate_limited" },
      retryAfterMs: 60_000,
    };
    expect(await completeTransfer(t.db, claimed!, "w", outcome)).toBe(true);
    const [row] = await t.db
      .select({ wait: sql<number>`extract(epoch from ${transfers.nextAttemptAt} - now())::float8` })
      .from(transfers)
      .where(eq(transfers.id, claimed!.id));
    expect(Number(row!.wait)).toBeGreaterThan(55);
    expect(await transferRow(claimed!.id)).toMatchObject({ status: "failed", leaseOwner: null });
  });

  it("treats a processor that throws as a retry with a generic code", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    let calls = 0;
    start(
      async () => {
        calls++;
        if (calls === 1) throw new TypeError("boom with secret detail");
        return { kind: "done", status: "booked" };
      },
      { retryPolicy: { baseDelayMs: 1, maxDelayMs: 1 } },
    );
    await waitFor(async () => (await transferRow(id!)).status === "booked");
    const attempts = await attemptsOf(id!);
    expect(attempts.map((a) => a.outcome)).toEqual(["retry", "done"]);
    expect(attempts[0]!.error).toEqual({
      code: WORKER_EXCEPTION_CODE,
      params: { detail: "TypeError" },
      detail: "TypeError",
    });
    expect((await transferRow(id!)).lastError).toBeNull();
  });

  it("abandons silently when the processor reports a lost lease", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    start(async (transfer) => {
      throw new LeaseLostError(transfer.id);
    });
    await waitFor(async () => (await attemptsOf(id!)).length === 1);
    await sleep(100);
    // Still processing under the lease: nobody wrote an outcome.
    expect(await transferRow(id!)).toMatchObject({ status: "processing" });
    expect((await attemptsOf(id!))[0]!.outcome).toBeNull();
  });

  it("wakes an idle worker as soon as a transfer is queued: the enqueue notifies on commit", async () => {
    const companyId = await newCompany();
    const worker = start(async () => ({ kind: "done", status: "draft" }), { pollMs: 600_000 });
    await worker.idle();
    let heard = 0;
    const unsubscribe = onTransferQueued(t.db, () => heard++);
    const { transferId } = await enqueueTransfer(t.db, {
      companyId,
      rackbeatInvoiceNumber: "1001",
      event: { event: "invoice.booked", key: "1001", headers: {}, body: { key_name: "number", key: "1001" } },
    });
    // With a ten-minute poll, only the notification can have started it.
    await waitFor(async () => (await transferRow(transferId)).status === "draft", 5_000);
    unsubscribe();
    expect(heard).toBeGreaterThanOrEqual(1);
  });

  it("notifies when a transfer is released, re-queued by hand, and not when it is only scheduled", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    let heard = 0;
    const unsubscribe = onTransferQueued(t.db, () => heard++);
    try {
      // The Postgres listener wakes once when it starts listening; count from then on.
      await sleep(300);
      const [claimed] = await claimTransfers(t.db, { workerId: "w", limit: 1 });
      await sleep(100);
      const before = heard;
      expect(await releaseTransfer(t.db, claimed!, "w")).toBe(true);
      await waitFor(async () => heard > before, 5_000);
      const [again] = await claimTransfers(t.db, { workerId: "w", limit: 1 });
      const retry: ProcessOutcome = { kind: "retry", error: { code: "economic_unavailable" } };
      expect(await completeTransfer(t.db, again!, "w", retry)).toBe(true);
      await sleep(200);
      const afterRetry = heard;
      expect(afterRetry).toBe(before + 1);
      await t.db.update(transfers).set({ nextAttemptAt: null }).where(eq(transfers.id, id!));
      expect(await requeueTransfer(t.db, { companyId, transferId: id! })).toBe(true);
      await waitFor(async () => heard > afterRetry, 5_000);
    } finally {
      unsubscribe();
    }
  });

  it("gives in-flight leases back when stopped after the grace time", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    let aborted = false;
    const worker = start(
      (_transfer, ctx) =>
        new Promise<ProcessOutcome>((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            resolve({ kind: "done", status: "draft" });
          });
        }),
    );
    await waitFor(async () => (await transferRow(id!)).status === "processing");
    await worker.stop({ graceMs: 50 });
    expect(aborted).toBe(true);
    expect(await transferRow(id!)).toMatchObject({ status: "queued", leaseOwner: null, attempts: 1 });
    expect((await attemptsOf(id!)).map((a) => a.outcome)).toEqual(["released"]);
    // Due again at once for the next worker.
    expect(await claimTransfers(t.db, { workerId: "next", limit: 1 })).toMatchObject([{ id, attempt: 2 }]);
  });

  it("lets in-flight transfers finish when they do so within the grace time", async () => {
    const companyId = await newCompany();
    const [id] = await addTransfers(companyId, 1);
    const worker = start(async () => {
      await sleep(100);
      return { kind: "done", status: "booked" };
    });
    await waitFor(async () => (await transferRow(id!)).status === "processing");
    await worker.stop({ graceMs: 5_000 });
    expect((await transferRow(id!)).status).toBe("booked");
  });

  describe("requeueTransfer (Prøv igen / Overfør nu)", () => {
    const finish = async (companyId: string, outcome: ProcessOutcome) => {
      const [id] = await addTransfers(companyId, 1, `r${Math.random()}`);
      const [claimed] = await claimTransfers(t.db, { workerId: "w", limit: 1 });
      expect(claimed?.id).toBe(id);
      await completeTransfer(t.db, claimed!, "w", outcome, { retryPolicy: { maxAttempts: 1 } });
      return id!;
    };

    it("re-queues a failed transfer exactly once under a double click, with a fresh retry budget", async () => {
      const companyId = await newCompany();
      const id = await finish(companyId, { kind: "retry", error: { code: "economic_unavailable" } });
      expect(await transferRow(id)).toMatchObject({ status: "failed", nextAttemptAt: null, attempts: 1 });

      const results = await Promise.all(
        Array.from({ length: 10 }, () => requeueTransfer(t.db, { companyId, transferId: id })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await transferRow(id)).toMatchObject({
        status: "queued",
        attempts: 1,
        retryBaseAttempts: 1,
        lastError: null,
      });
      // The next attempt may retry again instead of giving up at once.
      const [claimed] = await claimTransfers(t.db, { workerId: "w", limit: 1 });
      await completeTransfer(
        t.db,
        claimed!,
        "w",
        { kind: "retry", error: { code: "economic_unavailable" } },
        {
          retryPolicy: { maxAttempts: 2 },
        },
      );
      expect((await transferRow(id)).nextAttemptAt).not.toBeNull();
    });

    it("re-queues a skipped transfer, clearing the reason", async () => {
      const companyId = await newCompany();
      const id = await finish(companyId, { kind: "skipped", reason: "not_activated" });
      expect(await requeueTransfer(t.db, { companyId, transferId: id })).toBe(true);
      expect(await transferRow(id)).toMatchObject({ status: "queued", skipReason: null });
    });

    it("refuses transfers that are done, queued, processing, of another company or unknown", async () => {
      const companyId = await newCompany();
      const other = await newCompany("Anden ApS");
      const done = await finish(companyId, { kind: "done", status: "booked" });
      const failed = await finish(companyId, { kind: "failed", error: { code: "economic_validation" } });
      const [queued] = await addTransfers(companyId, 1, "q");
      expect(await requeueTransfer(t.db, { companyId, transferId: done })).toBe(false);
      expect(await requeueTransfer(t.db, { companyId, transferId: queued! })).toBe(false);
      expect(await requeueTransfer(t.db, { companyId: other, transferId: failed })).toBe(false);
      expect(await requeueTransfer(t.db, { companyId, transferId: "not-a-uuid" })).toBe(false);
      await claimTransfers(t.db, { workerId: "w", limit: 1 });
      expect(await requeueTransfer(t.db, { companyId, transferId: queued! })).toBe(false);
      expect((await transferRow(done)).status).toBe("booked");
    });
  });
});
