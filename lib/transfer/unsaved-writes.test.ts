import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  companies,
  economicCalls,
  economicDraftClaims,
  economicKnown,
  transferAttempts,
  transferCustomers,
  transfers,
} from "@/db/schema";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { stageCall } from "./call-log";
import { claimDraft } from "./exactly-once";
import { stageInvoice } from "./fetch-invoice";
import { stageKnownMasterData } from "./known-master-data";
import { claimTransfers, completeTransfer, makeProcessContext } from "./queue";
import { type ClaimedTransfer, DraftClaimRefusedError, LeaseLostError } from "./types";
import { emptyUnsaved, forgetWritten, snapshotOf } from "./unsaved-writes";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rackbeat's invoice as far as the review page's columns go (lib/rackbeat's shape). */
const invoice = {
  number: 1,
  customer_id: 4711,
  customer: { number: 4711, name: "Skriveborde ApS" },
  total_subtotal: "100.00",
  total_total: "125.00",
  currency: "DKK",
  lines: [],
} as unknown as Parameters<typeof stageInvoice>[1];

const call = {
  api: "rest",
  method: "POST",
  path: "/invoices/drafts",
  status: 201,
  durationMs: 12,
} as Parameters<typeof stageCall>[1];

describe("unsaved writes: forgetting what was written", () => {
  it("keeps what was staged while the write ran", () => {
    const unsaved = emptyUnsaved();
    const transfer = { id: "t", attempt: 1, unsaved };
    stageCall(transfer, call);
    unsaved.patch = { customerName: "A", plan: null };
    const written = snapshotOf(unsaved);
    stageCall(transfer, { ...call, path: "/invoices/booked" });
    unsaved.patch = { ...unsaved.patch, customerName: "B" };
    forgetWritten(unsaved, written);
    expect(unsaved.calls.map((c) => c.path)).toEqual(["/invoices/booked"]);
    expect(unsaved.patch).toEqual({ customerName: "B" });
  });
});

describe.each(dbKinds)("unsaved writes go with the row's fenced writes (%s)", (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  async function claimOne(workerId: string, leaseMs = 60_000): Promise<ClaimedTransfer> {
    const [company] = await t.db.insert(companies).values({ name: "Kunde ApS" }).returning();
    await t.db.insert(transfers).values({ companyId: company!.id, rackbeatInvoiceNumber: "1" });
    const [claimed] = await claimTransfers(t.db, { workerId, limit: 1, leaseMs, perCompanyLimit: 1 });
    if (!claimed) throw new Error("nothing claimed");
    return claimed;
  }

  /** Stages what an engine's attempt learns before it fails. */
  function learn(transfer: ClaimedTransfer) {
    stageInvoice(transfer, invoice);
    stageKnownMasterData(transfer, { companyId: transfer.companyId, agreement: "1" }, [
      { kind: "productGroup", key: 10 },
    ]);
    stageCall(transfer, call);
  }

  async function landed(transfer: ClaimedTransfer) {
    const [row] = await t.db.select().from(transfers).where(eq(transfers.id, transfer.id));
    const calls = await t.db.select().from(economicCalls).where(eq(economicCalls.transferId, transfer.id));
    const known = await t.db
      .select()
      .from(economicKnown)
      .where(eq(economicKnown.companyId, transfer.companyId));
    const customers = await t.db
      .select()
      .from(transferCustomers)
      .where(eq(transferCustomers.companyId, transfer.companyId));
    return { row: row!, calls, known, customers };
  }

  it("a failed attempt's completion writes what the attempt learnt, in one statement", async () => {
    const transfer = await claimOne("w");
    expect(transfer.attemptsSinceRetry).toBe(1);
    learn(transfer);
    const outcome = { kind: "failed", error: { code: "economic_validation" } } as const;
    expect(await completeTransfer(t.db, transfer, "w", outcome)).toBe(true);
    const { row, calls, known, customers } = await landed(transfer);
    expect(row).toMatchObject({
      status: "failed",
      customerNumber: "4711",
      customerName: "Skriveborde ApS",
      netAmount: "100.00",
      grossAmount: "125.00",
      lastError: { code: "economic_validation" },
    });
    expect(calls.map((c) => [c.attempt, c.method, c.path, c.status])).toEqual([
      [1, "POST", "/invoices/drafts", 201],
    ]);
    expect(known.map((k) => [k.kind, k.key])).toEqual([["productGroup", "10"]]);
    expect(customers.map((c) => c.customerName)).toEqual(["Skriveborde ApS"]);
    const attempts = await t.db
      .select()
      .from(transferAttempts)
      .where(eq(transferAttempts.transferId, transfer.id));
    expect(attempts.map((a) => a.outcome)).toEqual(["failed"]);
    expect(transfer.unsaved).toEqual(emptyUnsaved());
  });

  it("a worker that lost its lease writes none of it", async () => {
    const transfer = await claimOne("slow", 100);
    learn(transfer);
    await sleep(200);
    const [rescued] = await claimTransfers(t.db, { workerId: "rescuer", limit: 5, perCompanyLimit: 1 });
    expect(rescued?.id).toBe(transfer.id);
    const ctx = makeProcessContext(t.db, transfer, { workerId: "slow" });
    await expect(ctx.update({ plan: null })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await completeTransfer(t.db, transfer, "slow", { kind: "done", status: "booked" })).toBe(false);
    const { row, calls, known, customers } = await landed(transfer);
    expect(row).toMatchObject({ status: "processing", leaseOwner: "rescuer", customerName: null });
    expect([calls, known, customers]).toEqual([[], [], []]);
  });

  it("a draft another transfer holds: the write claiming it writes nothing", async () => {
    const holder = await claimOne("a");
    const transfer = await claimOne("b");
    // The holder's claim on draft 7 of the transfer's company and agreement.
    const scope = { db: t.db, companyId: transfer.companyId, agreement: "1", transferId: holder.id };
    expect(await claimDraft(scope, 7, { fresh: false })).toBe(true);
    learn(transfer);
    transfer.unsaved!.claimDraft = { agreement: "1", draftNumber: 7 };
    const ctx = makeProcessContext(t.db, transfer, { workerId: "b" });
    await expect(ctx.update({ economicDraftNumber: 7 })).rejects.toBeInstanceOf(DraftClaimRefusedError);
    const { row, calls } = await landed(transfer);
    expect(row).toMatchObject({ economicDraftNumber: null, customerName: null });
    expect(calls).toEqual([]);
    // Without the claim (the engine lets the draft go), the rest is written.
    transfer.unsaved!.claimDraft = undefined;
    delete transfer.unsaved!.patch.economicDraftNumber;
    await ctx.update({});
    expect((await landed(transfer)).row).toMatchObject({
      economicDraftNumber: null,
      customerName: "Skriveborde ApS",
    });
    const claims = await t.db
      .select()
      .from(economicDraftClaims)
      .where(eq(economicDraftClaims.draftNumber, 7));
    expect(claims.map((c) => c.transferId)).toEqual([holder.id]);
  });
});
