import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { companies, companyIntegrations, transfers, webhookEvents } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import { enqueueTransfer } from "@/lib/transfer/queue";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import type { FastDelivery } from "./authenticated-enqueue";
import { createGroupCommitter } from "./group-commit";

const TOKEN = "GroupGroupGroupGroupGroupGroup01";
const ACCOUNT = "5501";

function delivery(number: string, overrides: Partial<FastDelivery> = {}): FastDelivery {
  return {
    accountId: ACCOUNT,
    token: TOKEN,
    invoiceNumber: number,
    event: {
      event: "invoice.booked",
      key: number,
      headers: { "user-agent": "Rackbeat Webhook" },
      body: { key_name: "number", key: number },
    },
    ...overrides,
  };
}

describe.each(dbKinds)("group-committed intake (%s)", (kind) => {
  let testDb: TestDb;
  let companyId: string;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    const [company] = await testDb.db.insert(companies).values({ name: "Gruppe ApS" }).returning();
    companyId = company!.id;
    await testDb.db.insert(companyIntegrations).values({
      companyId,
      rackbeatAccountId: ACCOUNT,
      rackbeatWebhookTokenHash: hashToken(TOKEN),
      rackbeatWebhookEvents: ["invoice.booked"],
    });
  });
  afterAll(async () => {
    await testDb?.close();
  });

  /** The transactions that wrote these invoices' transfers (rows of one commit share xmin). */
  async function commitsOf(numbers: string[]): Promise<number> {
    const [row] = rowsOf<{ n: number }>(
      await testDb.db.execute(
        sql`select count(distinct xmin::text)::int as n from transfers
            where company_id = ${companyId}::uuid and rackbeat_invoice_number in ${numbers}`,
      ),
    );
    return Number(row!.n);
  }

  const eventsOf = async (transferId: string) =>
    testDb.db.select().from(webhookEvents).where(eq(webhookEvents.transferId, transferId));

  it("stores concurrent deliveries in one commit, each answered with its own new transfer", async () => {
    const committer = createGroupCommitter(testDb.db, { windowMs: 20, maxBatch: 64 });
    const numbers = Array.from({ length: 16 }, (_, i) => `G-${i}`);
    const results = await Promise.all(numbers.map((n) => committer.deliver(delivery(n))));
    expect(
      results.every((r) => r.kind === "created" && r.status === "queued" && r.companyId === companyId),
    ).toBe(true);
    expect(await commitsOf(numbers)).toBe(1);
    // Each answer names the transfer of its own invoice, with its event.
    for (const [i, r] of results.entries()) {
      if (r.kind !== "created") throw new Error("not created");
      const [t] = await testDb.db.select().from(transfers).where(eq(transfers.id, r.transferId));
      expect(t!.rackbeatInvoiceNumber).toBe(numbers[i]);
      expect((await eventsOf(r.transferId)).map((e) => e.key)).toEqual([numbers[i]]);
    }
    expect(committer.pending).toBe(0);
  });

  it("bounds a batch at maxBatch deliveries", async () => {
    const committer = createGroupCommitter(testDb.db, { windowMs: 50, maxBatch: 4, maxInFlight: 1 });
    const numbers = Array.from({ length: 10 }, (_, i) => `B-${i}`);
    await Promise.all(numbers.map((n) => committer.deliver(delivery(n))));
    expect(await commitsOf(numbers)).toBe(3);
  });

  it("answers repeats (earlier, and twice in one batch) as `repeat`, recording only the new transfer's event", async () => {
    const earlier = await enqueueTransfer(testDb.db, { companyId, rackbeatInvoiceNumber: "R-1" });
    const committer = createGroupCommitter(testDb.db, { windowMs: 20 });
    const [a, b, c] = await Promise.all([
      committer.deliver(delivery("R-1")),
      committer.deliver(delivery("R-2")),
      committer.deliver(delivery("R-2")),
    ]);
    expect(a).toEqual({ kind: "repeat", companyId });
    expect(b!.kind).toBe("created");
    expect(c).toEqual({ kind: "repeat", companyId });
    expect(await eventsOf(earlier.transferId)).toHaveLength(0);
    if (b!.kind === "created") expect(await eventsOf(b!.transferId)).toHaveLength(1);
  });

  it("vouches for no delivery it cannot authenticate: wrong token, unknown account, other event", async () => {
    const committer = createGroupCommitter(testDb.db, { windowMs: 20 });
    const results = await Promise.all([
      committer.deliver(delivery("U-1", { token: "WrongWrongWrongWrongWrongWrong01" })),
      committer.deliver(delivery("U-2", { accountId: "9999" })),
      committer.deliver(
        delivery("U-3", {
          event: { event: "product.updated", key: "U-3", headers: {}, body: { key: "U-3" } },
        }),
      ),
      committer.deliver(delivery("U-4")),
    ]);
    expect(results.map((r) => r.kind)).toEqual(["unsure", "unsure", "unsure", "created"]);
    const stored = await testDb.db
      .select({ n: transfers.rackbeatInvoiceNumber })
      .from(transfers)
      .where(sql`${transfers.rackbeatInvoiceNumber} like 'U-%'`);
    expect(stored.map((r) => r.n)).toEqual(["U-4"]);
  });

  it("fails only the delivery that cannot be stored, not the others of its batch", async () => {
    const committer = createGroupCommitter(testDb.db, { windowMs: 20 });
    // jsonb refuses \u0000: this delivery's statement fails, alone as in the batch.
    const unstorable = delivery("F-2", {
      event: { event: "invoice.booked", key: "F-2", headers: { x: "a\u0000b" }, body: { key: "F-2" } },
    });
    const outcomes = await Promise.allSettled([
      committer.deliver(delivery("F-1")),
      committer.deliver(unstorable),
      committer.deliver(delivery("F-3")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const stored = await testDb.db
      .select({ n: transfers.rackbeatInvoiceNumber })
      .from(transfers)
      .where(sql`${transfers.rackbeatInvoiceNumber} like 'F-%'`);
    expect(stored.map((r) => r.n).sort()).toEqual(["F-1", "F-3"]);
  });
});
