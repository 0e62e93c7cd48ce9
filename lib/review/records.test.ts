import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies } from "@/db/schema";
import { enqueueRecordSyncs } from "@/lib/sync/enqueue";
import { enqueueTransfer } from "@/lib/transfer/queue";
import { createTestDb, type TestDb } from "@/test/support/db";
import { listRecordSyncs, parseRecordParams, recordQueryString } from "./records";

describe("the review page's Stamdata view", () => {
  let t: TestDb;
  let companyId: string;

  beforeAll(async () => {
    t = await createTestDb("pglite");
    const [company] = await t.db.insert(companies).values({ name: "Stamdata ApS" }).returning();
    companyId = company!.id;
    const customers = Array.from({ length: 7 }, (_, i) => ({ kind: "customer" as const, number: 100 + i }));
    await enqueueRecordSyncs(t.db, companyId, [...customers, { kind: "product_group", number: 100 }]);
    // An invoice numbered like a customer is not a record.
    await enqueueTransfer(t.db, { companyId, rackbeatInvoiceNumber: "100" });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it("pages through the records only, newest first, without repeats", async () => {
    const seen: string[] = [];
    let filters = parseRecordParams({});
    for (let i = 0; i < 10; i++) {
      const page = await listRecordSyncs(t.db, companyId, filters, 3);
      seen.push(...page.rows.map((r) => `${r.kind}:${r.number}`));
      if (!page.nextCursor) break;
      filters = parseRecordParams(
        Object.fromEntries(new URLSearchParams(recordQueryString({ ...filters, cursor: page.nextCursor }))),
      );
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });

  it("filters by kind and status and finds a record by number", async () => {
    const groups = await listRecordSyncs(t.db, companyId, parseRecordParams({ kind: "product_group" }));
    expect(groups.rows.map((r) => r.number)).toEqual([100]);
    const found = await listRecordSyncs(t.db, companyId, parseRecordParams({ q: "100" }));
    expect(found.rows.map((r) => r.kind).sort()).toEqual(["customer", "product_group"]);
    const failed = await listRecordSyncs(t.db, companyId, parseRecordParams({ status: "failed" }));
    expect(failed.rows).toEqual([]);
    // What is not a filter is ignored.
    expect(parseRecordParams({ kind: "invoice", status: "nope", q: "x; drop" })).toEqual({});
  });
});
