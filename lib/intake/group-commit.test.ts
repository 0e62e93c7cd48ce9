import { eq, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, rowsOf } from "@/db/client";
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

const dialect = new PgDialect();

/** `db` that logs every statement it sends through `execute` (the committer's only way in). */
function counting(db: Db, log: string[]): Db {
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== "execute") return typeof value === "function" ? value.bind(target) : value;
      return (query: SQL) => {
        const { sql: text } = dialect.sqlToQuery(query);
        log.push(text.includes("jsonb_to_recordset") ? "batch" : "single");
        return target.execute(query);
      };
    },
  });
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

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

  it("sends a lone delivery at once, in the single-delivery statement, with no window", async () => {
    const log: string[] = [];
    const committer = createGroupCommitter(counting(testDb.db, log));
    const answer = committer.deliver(delivery("L-1"));
    // Only the deliveries of the same turn of the event loop are waited for, no timer.
    await nextTurn();
    expect(log).toEqual(["single"]);
    const result = await answer;
    expect(result).toMatchObject({ kind: "created", companyId, status: "queued" });
    expect(committer.statements).toBe(1);
    expect(await commitsOf(["L-1"])).toBe(1);
  });

  it("stores concurrent deliveries in one commit, each answered with its own new transfer", async () => {
    const log: string[] = [];
    const committer = createGroupCommitter(counting(testDb.db, log));
    const numbers = Array.from({ length: 16 }, (_, i) => `G-${i}`);
    // Arriving in the same turn of the event loop, they share one statement.
    const results = await Promise.all(numbers.map((n) => committer.deliver(delivery(n))));
    expect(log).toEqual(["batch"]);
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

  it("gathers deliveries arriving while every slot is busy into one statement, sent when a slot frees", async () => {
    const log: string[] = [];
    const committer = createGroupCommitter(counting(testDb.db, log), { maxInFlight: 2 });
    const first = committer.deliver(delivery("S-1"));
    await nextTurn();
    const second = committer.deliver(delivery("S-2"));
    await nextTurn();
    expect(log).toEqual(["single", "single"]);
    // Both slots busy: these wait, whatever time passes, for the first statement to finish.
    const waiting = Array.from({ length: 10 }, (_, i) => `S-W${i}`);
    const later = Promise.all(waiting.map((n) => committer.deliver(delivery(n))));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const results = await Promise.all([first, second, later]);
    expect(results.flat().every((r) => r.kind === "created")).toBe(true);
    expect(log).toEqual(["single", "single", "batch"]);
    expect(committer.statements).toBe(3);
    expect(await commitsOf(waiting)).toBe(1);
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

  it("rejects a lone delivery that cannot be stored after its one statement", async () => {
    const log: string[] = [];
    const committer = createGroupCommitter(counting(testDb.db, log));
    const unstorable = delivery("F-9", {
      event: { event: "invoice.booked", key: "F-9", headers: { x: "a\u0000b" }, body: { key: "F-9" } },
    });
    await expect(committer.deliver(unstorable)).rejects.toThrow();
    expect(log).toEqual(["single"]);
    expect(committer.pending).toBe(0);
  });
});
