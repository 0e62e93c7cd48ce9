import type { PGlite, Transaction } from "@electric-sql/pglite";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { createTestDb, type TestDb } from "@/test/support/db";
import {
  economicCallsOf,
  type SandboxCompany,
  type Sandboxes,
  startSandboxes,
} from "@/test/support/sandboxes";
import { claimTransfers, completeTransfer, makeProcessContext } from "./queue";
import { createTransferProcessor } from "./run";

/** Every statement sent to PGlite, BEGIN and COMMIT of a transaction included. */
function countingDb(client: PGlite, log: string[]): Db {
  const counted = <T extends PGlite | Transaction>(target: T): T =>
    new Proxy(target, {
      get(t, prop) {
        if (prop === "query") {
          return (query: string, ...rest: unknown[]) => {
            log.push(query.replace(/\s+/g, " ").trim());
            return (t.query as (...a: unknown[]) => unknown)(query, ...rest);
          };
        }
        if (prop === "transaction") {
          return async (fn: (tx: Transaction) => Promise<unknown>) => {
            log.push("begin");
            const result = await (t as PGlite).transaction((tx) => fn(counted(tx)));
            log.push("commit");
            return result;
          };
        }
        const value = Reflect.get(t, prop, t);
        return typeof value === "function" ? value.bind(t) : value;
      },
    });
  return drizzle(counted(client), { schema, casing: "snake_case" }) as unknown as Db;
}

/**
 * Counts the database round trips of one booked invoice on the engine's path — claim, process,
 * complete, as a worker does — by wrapping the PGlite driver, so every statement is seen, those
 * inside a transaction and its BEGIN and COMMIT included.
 */
describe("database statements per booked invoice (pglite)", () => {
  let testDb: TestDb;
  let sandboxes: Sandboxes;
  let company: SandboxCompany;
  /** Its settings draft the invoices, never book them. */
  let drafting: SandboxCompany;
  const processor = createTransferProcessor({ mailer: null });

  beforeAll(async () => {
    testDb = await createTestDb("pglite");
    sandboxes = await startSandboxes(testDb.db);
    company = await sandboxes.createCompany({ settings: { bookWhenBookedInRackbeat: true } });
    await company.seedEconomicMasterData({ customers: [101], products: ["KAF-100", "OST-001"] });
    drafting = await sandboxes.createCompany();
    await drafting.seedEconomicMasterData({ customers: [101], products: ["KAF-100"] });
  }, 60_000);

  afterAll(async () => {
    await sandboxes?.close();
    await testDb?.close();
  });

  /** The webhook is delivered in the background: wait (uncounted) until the intake queued it. */
  async function waitQueued(number: string, companyId = company.companyId) {
    for (let i = 0; i < 200; i++) {
      const [row] = await testDb.db
        .select({ id: schema.transfers.id })
        .from(schema.transfers)
        .where(
          and(eq(schema.transfers.companyId, companyId), eq(schema.transfers.rackbeatInvoiceNumber, number)),
        );
      if (row) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`invoice ${number} was not queued`);
  }

  /**
   * One attempt the way a worker makes it: claim, process, complete. `claimStatements`: how many of
   * the logged statements the claim made.
   */
  async function processNext(db: Db, log: string[] = []) {
    const [transfer] = await claimTransfers(db, { workerId: "w", limit: 1 });
    if (!transfer) throw new Error("nothing queued");
    const claimStatements = log.length;
    const ctx = makeProcessContext(db, transfer, { workerId: "w", urls: sandboxes.urls });
    const outcome = await processor(transfer, ctx);
    await completeTransfer(db, transfer, "w", outcome);
    return { outcome, claimStatements, transferId: transfer.id };
  }

  function countingClient(): { db: Db; log: string[] } {
    const log: string[] = [];
    const client = (testDb.db as unknown as { $client: PGlite }).$client;
    return { db: countingDb(client, log), log };
  }

  /** The statements after the claim: the engine's and the completion's. */
  function expectLean(log: string[], claimStatements: number) {
    const engine = log.slice(claimStatements);
    // Issue 17: one read of the company (integration and settings), one of the master-data cache,
    // the draft's "sent" mark (with the invoice, plan and call log so far), the booking's "sent"
    // mark (with the draft's claim and number), and the completion (with the booked number, the
    // rest of the call log and the draft claim's release).
    expect(engine.length, engine.join("\n")).toBeLessThanOrEqual(5);
    // The transfer row is written by those three statements only (the claim's update aside).
    expect(engine.filter((q) => /update "transfers"/.test(q)).length).toBeLessThanOrEqual(3);
    // Issue 17's whole budget: 6 with the claim, itself one statement (the claim_transfers function).
    expect(claimStatements).toBe(1);
    expect(log.length, log.map((q) => q.slice(0, 160)).join("\n")).toBeLessThanOrEqual(6);
  }

  it("counts the statements of a booked invoice once the company's master data is known", async () => {
    const invoice = { customer_id: 101, lines: [{ child_id: "KAF-100", quantity: 2 }] };
    await waitQueued(await company.bookInvoice(invoice));
    expect((await processNext(testDb.db)).outcome).toEqual({ kind: "done", status: "booked" });
    await waitQueued(
      await company.bookInvoice({ ...invoice, lines: [{ child_id: "OST-001", quantity: 1 }] }),
    );
    const { db, log } = countingClient();
    const { outcome, claimStatements, transferId } = await processNext(db, log);
    expect(outcome).toEqual({ kind: "done", status: "booked" });
    expectLean(log, claimStatements);

    // Nothing went missing by writing less often: the row as the review page shows it, the call
    // log, the product's details for the next invoice, the draft's claim given back.
    const [row] = await testDb.db.select().from(schema.transfers).where(eq(schema.transfers.id, transferId));
    expect(row).toMatchObject({
      status: "booked",
      customerNumber: "101",
      netAmount: expect.any(String),
      economicNetAmount: expect.any(String),
      amountMismatch: false,
      economicDraftNumber: expect.any(Number),
      economicBookedNumber: expect.any(Number),
      leaseOwner: null,
    });
    expect(row?.customerName).toBeTruthy();
    expect(row?.invoice).toBeTruthy();
    expect(row?.plan).toMatchObject({ kind: "transfer" });
    expect(row?.checkpoint).toMatchObject({
      draft: { number: row?.economicDraftNumber },
      booking: { number: row?.economicBookedNumber },
    });
    expect(await economicCallsOf(testDb.db, row!.id)).toEqual([
      "POST /invoices/drafts 201",
      "POST /invoices/booked 201",
    ]);
    const claims = await testDb.db
      .select()
      .from(schema.economicDraftClaims)
      .where(eq(schema.economicDraftClaims.transferId, row!.id));
    expect(claims).toEqual([]);
    const known = await testDb.db
      .select({ data: schema.economicKnown.data })
      .from(schema.economicKnown)
      .where(
        and(
          eq(schema.economicKnown.companyId, company.companyId),
          eq(schema.economicKnown.kind, "product"),
          eq(schema.economicKnown.key, "OST-001"),
        ),
      );
    expect(known).toEqual([{ data: expect.objectContaining({ groupNumber: expect.any(Number) }) }]);
    const [attempt] = await testDb.db
      .select()
      .from(schema.transferAttempts)
      .where(eq(schema.transferAttempts.transferId, row!.id));
    expect(attempt).toMatchObject({ outcome: "done", finishedAt: expect.any(Date) });
  }, 60_000);

  it("a worker that dies between the booking's answer and its completion: the next attempt adopts the booking", async () => {
    // The booked number is written only with the completion: what a crash before it leaves behind
    // is the booking's "sent" mark, which the next attempt resolves by looking (exactly-once.ts).
    const number = await company.bookInvoice({
      customer_id: 101,
      lines: [{ child_id: "KAF-100", quantity: 3 }],
    });
    await waitQueued(number);
    const [dying] = await claimTransfers(testDb.db, { workerId: "dying", limit: 1, leaseMs: 300 });
    const ctx = makeProcessContext(testDb.db, dying!, {
      workerId: "dying",
      leaseMs: 300,
      urls: sandboxes.urls,
    });
    expect(await processor(dying!, ctx)).toEqual({ kind: "done", status: "booked" });
    // … and the process dies here: no completion.
    const [left] = await testDb.db.select().from(schema.transfers).where(eq(schema.transfers.id, dying!.id));
    expect(left).toMatchObject({ status: "processing", economicBookedNumber: null });
    expect(left?.checkpoint).toMatchObject({ booking: { sentAt: expect.any(String) } });
    await new Promise((r) => setTimeout(r, 400));

    const { outcome, transferId } = await processNext(testDb.db);
    expect(outcome).toEqual({ kind: "done", status: "booked" });
    expect(transferId).toBe(dying!.id);
    const [row] = await testDb.db.select().from(schema.transfers).where(eq(schema.transfers.id, dying!.id));
    expect(row).toMatchObject({ status: "booked", economicBookedNumber: Number(number), attempts: 2 });
    const { drafts, booked } = await company.invoices();
    expect(booked.filter((b) => b.bookedInvoiceNumber === Number(number))).toHaveLength(1);
    expect(drafts).toHaveLength(0);
    // e-conomic holds the one booking (above). The dead attempt's booking POST was to be logged with
    // its completion, so it is missing; the second attempt only looked, and posted nothing.
    const calls = await economicCallsOf(testDb.db, dying!.id);
    expect(calls.filter((c) => c.startsWith("POST /invoices/booked"))).toEqual([]);
    const claims = await testDb.db
      .select()
      .from(schema.economicDraftClaims)
      .where(eq(schema.economicDraftClaims.transferId, dying!.id));
    expect(claims).toEqual([]);
  }, 60_000);

  it("counts the statements of a drafted invoice: its draft is claimed at once", async () => {
    const invoice = { customer_id: 101, lines: [{ child_id: "KAF-100", quantity: 2 }] };
    await waitQueued(await drafting.bookInvoice(invoice), drafting.companyId);
    expect((await processNext(testDb.db)).outcome).toEqual({ kind: "done", status: "draft" });
    await waitQueued(await drafting.bookInvoice(invoice), drafting.companyId);
    const { db, log } = countingClient();
    const { outcome, claimStatements, transferId } = await processNext(db, log);
    expect(outcome).toEqual({ kind: "done", status: "draft" });
    expectLean(log, claimStatements);
    const [row] = await testDb.db.select().from(schema.transfers).where(eq(schema.transfers.id, transferId));
    expect(row).toMatchObject({ status: "draft", economicDraftNumber: expect.any(Number) });
    expect(await economicCallsOf(testDb.db, row!.id)).toEqual(["POST /invoices/drafts 201"]);
    // The draft stays: its claim too, so no other transfer adopts it.
    const claims = await testDb.db
      .select({ draftNumber: schema.economicDraftClaims.draftNumber })
      .from(schema.economicDraftClaims)
      .where(eq(schema.economicDraftClaims.transferId, row!.id));
    expect(claims).toEqual([{ draftNumber: row!.economicDraftNumber }]);
  }, 60_000);
});
