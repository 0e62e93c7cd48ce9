import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies } from "@/db/schema";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { decodeCursor, encodeCursor } from "./cursor";
import { parseReviewParams, type ReviewSearchParams, transferStatuses } from "./filters";
import { countTransfersByStatus, listTransfers } from "./queries";

/**
 * /review's query parameters are the user's to type: 1,000 generated values for cursor, dates,
 * status and search must each be understood or ignored, and never reach Postgres as something it
 * refuses (finding 5: a cursor dated 2025-02-30 answered 500 with Postgres error 22008).
 */

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UUID = "0b7e2f4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c";
const pad = (n: number, width: number) => String(n).padStart(width, "0");

function generator(seed: number) {
  const next = random(seed);
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const junk = () =>
    Array.from({ length: int(40) }, () =>
      String.fromCodePoint(pick([int(128), 0x2028, 0xe6, 0x1f600, 0])),
    ).join("");
  /** YYYY-MM-DD with parts that are often out of range: month 0..19, day 0..39, years near edges. */
  const day = () =>
    `${pad(pick([0, 1, 1969, 2024, 2025, 9999, int(10_000)]), 4)}-${pad(int(20), 2)}-${pad(int(40), 2)}`;
  const instant = () =>
    `${day()}T${pad(int(30), 2)}:${pad(int(70), 2)}:${pad(int(70), 2)}.${pad(int(1_000_000), 6)}Z`;
  const cursor = () =>
    pick([
      () => encodeCursor({ createdAt: instant(), id: UUID }),
      () => encodeCursor({ createdAt: "2025-02-30T10:00:00.000000Z", id: UUID }),
      () => encodeCursor({ createdAt: instant(), id: junk() }),
      () => Buffer.from(junk(), "utf8").toString("base64url"),
      () => junk(),
      () => "A".repeat(int(400)),
    ])();
  const date = () =>
    pick([
      day,
      junk,
      () => `${day()}T00:00`,
      () => "2024-02-29",
      () => "2023-02-29",
      () => "9999-12-31",
      () => "0100-01-01",
      () => "",
    ])();
  const status = () => pick([...transferStatuses, "QUEUED", "' or 1=1 --", "", junk()]);
  const q = () =>
    pick([
      junk,
      () => "%",
      () => "_",
      () => "\\",
      () => "'; drop table users; --",
      () => "x".repeat(int(300)),
    ])();
  const value = (make: () => string): string | string[] | undefined =>
    pick([() => make(), () => make(), () => [make(), make()], () => undefined])();
  return (): ReviewSearchParams => ({
    cursor: value(cursor),
    from: value(date),
    to: value(date),
    status: value(status),
    q: value(q),
  });
}

describe.each(dbKinds)("fuzzing /review's parameters on %s", (kind) => {
  let handle: TestDb;
  let companyId: string;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    const [company] = await handle.db.insert(companies).values({ name: "Fuzz ApS" }).returning();
    companyId = company!.id;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("refuses cursors with impossible dates or times", () => {
    for (const createdAt of [
      "2025-02-30T10:00:00.000000Z",
      "2023-02-29T10:00:00.000000Z",
      "2025-13-01T10:00:00.000000Z",
      "2025-01-01T24:00:00.000000Z",
      "2025-01-01T23:60:00.000000Z",
      "0000-01-01T00:00:00.000000Z",
    ]) {
      expect(decodeCursor(encodeCursor({ createdAt, id: UUID }))).toBeNull();
    }
    expect(decodeCursor(encodeCursor({ createdAt: "2024-02-29T23:59:59.999999Z", id: UUID }))).not.toBeNull();
  });

  it("understands or ignores 1,000 generated parameter sets, and the queries never fail", async () => {
    const next = generator(20261130);
    let understood = 0;
    let ignored = 0;
    for (let i = 0; i < 1000; i++) {
      const params = next();
      const { filters, invalid } = parseReviewParams(params);
      understood += Object.keys(filters).length;
      ignored += invalid.length;
      await expect(
        listTransfers(handle.db, companyId, filters),
        JSON.stringify(params),
      ).resolves.toBeDefined();
    }
    await expect(countTransfersByStatus(handle.db, companyId)).resolves.toBeDefined();
    // The generator exercised both sides.
    expect(understood).toBeGreaterThan(100);
    expect(ignored).toBeGreaterThan(100);
  }, 120_000);
});
