import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { rowsOf } from "./client";
import { companies } from "./schema";

describe.each(dbKinds)("database on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("is migrated and round-trips a row", async () => {
    const [row] = await t.db.insert(companies).values({ name: "Test ApS" }).returning();
    expect(row?.name).toBe("Test ApS");
    const rows = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from companies`));
    expect(rows[0]?.n).toBe(1);
  });
});
