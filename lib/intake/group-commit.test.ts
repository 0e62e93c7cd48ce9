import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { companies, transfers, webhookEvents } from "@/db/schema";
import { type EnqueueInput, enqueueTransfer } from "@/lib/transfer/queue";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { createGroupCommitter } from "./group-commit";

function delivery(companyId: string, number: string): EnqueueInput {
  return {
    companyId,
    rackbeatInvoiceNumber: number,
    event: {
      event: "invoice.booked",
      key: number,
      headers: { "user-agent": "Rackbeat Webhook" },
      body: { key_name: "number", key: number },
    },
  };
}

describe.each(dbKinds)("group-committed intake (%s)", (kind) => {
  let testDb: TestDb;
  let companyId: string;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    const [company] = await testDb.db.insert(companies).values({ name: "Gruppe ApS" }).returning();
    companyId = company!.id;
  });
  afterAll(async () => {
    await testDb?.close();
  });

  /** The transaction ids that wrote these invoices' transfers (rows of one commit share xmin). */
  async function commitsOf(numbers: string[]): Promise<number> {
    const [row] = rowsOf<{ n: number }>(
      await testDb.db.execute(
        sql`select count(distinct xmin::text)::int as n from transfers
            where company_id = ${companyId}::uuid and rackbeat_invoice_number in ${numbers}`,
      ),
    );
    return Number(row!.n);
  }

  it("stores concurrent deliveries in one commit, each answered with its own new transfer", async () => {
    const committer = createGroupCommitter(testDb.db, { windowMs: 20, maxBatch: 64 });
    const numbers = Array.from({ length: 16 }, (_, i) => `G-${i}`);
    const results = await Promise.all(numbers.map((n) => committer.enqueue(delivery(companyId, n))));
    expect(results.every((r) => r.created && r.status === "queued")).toBe(true);
    expect(new Set(results.map((r) => r.transferId)).size).toBe(16);
    expect(await commitsOf(numbers)).toBe(1);
    // Each answer names the transfer of its own invoice, with its event.
    for (const [i, r] of results.entries()) {
      const [t] = await testDb.db.select().from(transfers).where(eq(transfers.id, r.transferId));
      expect(t!.rackbeatInvoiceNumber).toBe(numbers[i]);
      const events = await testDb.db
        .select()
        .from(webhookEvents)
        .where(eq(webhookEvents.transferId, r.transferId));
      expect(events.map((e) => e.key)).toEqual([numbers[i]]);
    }
    expect(committer.pending).toBe(0);
  });

  it("bounds a batch at maxBatch deliveries", async () => {
    const committer = createGroupCommitter(testDb.db, { windowMs: 50, maxBatch: 4, maxInFlight: 1 });
    const numbers = Array.from({ length: 10 }, (_, i) => `B-${i}`);
    await Promise.all(numbers.map((n) => committer.enqueue(delivery(companyId, n))));
    expect(await commitsOf(numbers)).toBe(3);
  });

  it("answers repeats as enqueueTransfer does, in and across batches, recording every delivery", async () => {
    const earlier = await enqueueTransfer(testDb.db, delivery(companyId, "R-1"));
    const committer = createGroupCommitter(testDb.db, { windowMs: 20 });
    const [a, b, c, d] = await Promise.all([
      committer.enqueue(delivery(companyId, "R-1")),
      committer.enqueue(delivery(companyId, "R-2")),
      committer.enqueue(delivery(companyId, "R-2")),
      committer.enqueue(delivery(companyId, "R-3")),
    ]);
    expect(a).toEqual({ transferId: earlier.transferId, status: "queued", created: false });
    expect(b!.created).toBe(true);
    expect(c).toEqual({ transferId: b!.transferId, status: "queued", created: false });
    expect(d!.created).toBe(true);
    const count = async (transferId: string) =>
      (await testDb.db.select().from(webhookEvents).where(eq(webhookEvents.transferId, transferId))).length;
    expect(await count(earlier.transferId)).toBe(2);
    expect(await count(b!.transferId)).toBe(2);
  });

  it("fails only the delivery that cannot be stored, not the others of its batch", async () => {
    const committer = createGroupCommitter(testDb.db, { windowMs: 20 });
    const unknownCompany = "00000000-0000-4000-8000-000000000000";
    const outcomes = await Promise.allSettled([
      committer.enqueue(delivery(companyId, "F-1")),
      committer.enqueue(delivery(unknownCompany, "F-2")),
      committer.enqueue(delivery(companyId, "F-3")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const stored = await testDb.db
      .select({ n: transfers.rackbeatInvoiceNumber })
      .from(transfers)
      .where(sql`${transfers.rackbeatInvoiceNumber} like 'F-%'`);
    expect(stored.map((r) => r.n).sort()).toEqual(["F-1", "F-3"]);
  });
});
