import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFirstSyncs, transfers } from "@/db/schema";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { type SandboxCompany, type Sandboxes, startSandboxes } from "@/test/support/sandboxes";
import { dueFirstSyncs, latestFirstSync, nextCursor, runFirstSyncStep, startFirstSync } from "./first-sync";

describe("nextCursor", () => {
  it("reads a list to its last page, then moves to the next list, groups before customers", () => {
    expect(nextCursor("customer_groups", 1, { count: 10, pages: 2 })).toEqual({
      list: "customer_groups",
      nextPage: 2,
    });
    expect(nextCursor("customer_groups", 2, { count: 3, pages: 2 })).toEqual({
      list: "product_groups",
      nextPage: 1,
    });
    expect(nextCursor("product_groups", 1, { count: 0, pages: 5 })).toEqual({
      list: "customers",
      nextPage: 1,
    });
    expect(nextCursor("customers", 3, { count: 7, pages: 3 })).toBe("done");
  });
});

/**
 * The first sync as a durable job: one Rackbeat page per step, its cursor stored, so a worker that
 * dies mid-walk leaves it to the next one at the page it was on (the restart with 2,000 customers
 * and a real process kill is test/first-sync-restart.test.ts).
 */
describe.each(dbKinds)("first sync of customers and groups as a durable walk (%s)", (kind) => {
  let testDb: TestDb;
  let sandboxes: Sandboxes;
  let company: SandboxCompany;
  const customers = Array.from({ length: 45 }, (_, i) => 8001 + i);

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    sandboxes = await startSandboxes(testDb.db);
    company = await sandboxes.createCompany({ webhook: false });
    for (const n of customers)
      await company.rackbeatPost("/customers", {
        number: n,
        company_name: `Kunde ${n}`,
        group: { number: 1 },
      });
  }, 60_000);

  afterAll(async () => {
    await sandboxes?.close();
    await testDb?.close();
  });

  it("walks every list page by page, resumes at its cursor after a dead worker's lease runs out, counts each record once", async () => {
    let inRackbeat = 0;
    for (const list of ["customer_groups", "product_groups", "customers"] as const)
      inRackbeat += (await company.rackbeat.listRecordNumbers(list, { page: 1, limit: 100 })).numbers.length;
    const started = await startFirstSync(testDb.db, company.companyId);
    if (!started.ok) throw new Error("not started");
    // A second click finds the running walk.
    expect(await startFirstSync(testDb.db, company.companyId)).toMatchObject({
      ok: true,
      alreadyRunning: true,
      job: { id: started.job.id },
    });
    const step = (owner: string) =>
      runFirstSyncStep(testDb.db, started.job.id, {
        urls: sandboxes.urls,
        owner,
        pageSize: 10,
      });

    // Worker A reads the groups and the first two pages of customers...
    for (;;) {
      expect(await step("worker-a")).toBe("advanced");
      const job = await latestFirstSync(testDb.db, company.companyId);
      if (job?.list === "customers" && job.nextPage === 3) break;
    }
    // ...then dies holding the lease mid-step (its claim is written, its page never advanced).
    await testDb.db
      .update(recordFirstSyncs)
      .set({ leaseOwner: "worker-a", leaseExpiresAt: sql`now() + interval '1 hour'` })
      .where(eq(recordFirstSyncs.id, started.job.id));
    expect(await step("worker-b")).toBe("busy");
    expect(await dueFirstSyncs(testDb.db)).not.toContain(started.job.id);
    const held = await latestFirstSync(testDb.db, company.companyId);

    // The lease runs out: worker B continues at the stored cursor, not at the start.
    await testDb.db
      .update(recordFirstSyncs)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(recordFirstSyncs.id, started.job.id));
    expect(await dueFirstSyncs(testDb.db)).toContain(started.job.id);
    let result = await step("worker-b");
    const resumed = await latestFirstSync(testDb.db, company.companyId);
    expect(resumed).toMatchObject({ list: "customers", nextPage: 4, found: (held?.found ?? 0) + 10 });
    while (result === "advanced") result = await step("worker-b");
    expect(result).toBe("finished");

    const job = await latestFirstSync(testDb.db, company.companyId);
    expect(job).toMatchObject({ status: "done", found: inRackbeat, leaseOwner: null, error: null });
    expect(job?.finishedAt).toBeInstanceOf(Date);
    // One sync row per record, groups and customers alike.
    const rows = await testDb.db
      .select({ key: transfers.rackbeatInvoiceNumber, source: transfers.source })
      .from(transfers)
      .where(eq(transfers.companyId, company.companyId));
    expect(rows).toHaveLength(inRackbeat);
    expect(new Set(rows.map((r) => r.key)).size).toBe(inRackbeat);
    expect(rows.every((r) => r.source === "first_sync")).toBe(true);
    for (const n of customers) expect(rows.map((r) => r.key)).toContain(`customer:${n}`);
    // A finished walk is not stepped again; a new click starts a new one.
    expect(await step("worker-c")).toBe("busy");
    expect(await startFirstSync(testDb.db, company.companyId)).toMatchObject({
      ok: true,
      alreadyRunning: false,
    });
  }, 60_000);

  it("a Rackbeat error leaves the cursor where it was, with the error shown, for the next round", async () => {
    const other = await sandboxes.createCompany({ webhook: false });
    const started = await startFirstSync(testDb.db, other.companyId);
    if (!started.ok) throw new Error("not started");
    // The sandbox's call faults (lib/sandbox/rackbeat/call-faults.ts): the group list answers 503.
    const faults = `${sandboxes.urls.rackbeat}/sandbox/faults`;
    const auth = { Authorization: `Bearer ${other.rackbeatApiKey}`, "Content-Type": "application/json" };
    const set = await fetch(faults, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ path: "/customer-groups", exact: true, respond: 503, times: 10 }),
    });
    expect(set.status).toBe(201);
    await expect(
      runFirstSyncStep(testDb.db, started.job.id, { urls: sandboxes.urls, owner: "w" }),
    ).rejects.toThrow();
    const job = await latestFirstSync(testDb.db, other.companyId);
    expect(job).toMatchObject({ status: "running", list: "customer_groups", nextPage: 1, leaseOwner: null });
    expect(job?.error).toBeTruthy();
    expect((await fetch(faults, { method: "DELETE", headers: auth })).ok).toBe(true);
    expect(await runFirstSyncStep(testDb.db, started.job.id, { urls: sandboxes.urls, owner: "w" })).toBe(
      "advanced",
    );
    expect((await latestFirstSync(testDb.db, other.companyId))?.error).toBeNull();
  }, 60_000);
});
