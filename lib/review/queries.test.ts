import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  companies,
  economicCalls,
  mailOutbox,
  type TransferStatus,
  transferCustomers,
  transfers,
  webhookEvents,
} from "@/db/schema";
import { rackbeatCustomerInvoiceSchema } from "@/lib/rackbeat";
import { recordInvoice } from "@/lib/transfer/fetch-invoice";
import { makeProcessContext } from "@/lib/transfer/queue";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { decodeCursor, encodeCursor } from "./cursor";
import { recordTransferCustomer } from "./customers";
import { loadBookedNumber, loadMailAttachment, loadTransferDetail } from "./detail";
import { parseReviewParams, type ReviewFilters } from "./filters";
import { countTransfersByStatus, listTransfers, NAME_SEARCH_CUSTOMER_CAP, type ReviewRow } from "./queries";

type NewTransfer = typeof transfers.$inferInsert;

describe.each(dbKinds)("review queries (%s)", (kind) => {
  let handle: TestDb;
  let companyA: string;
  let companyB: string;
  /** Company A's transfers in the order the page must show them. */
  let expectedA: string[];
  let otherCompanyTransfer: string;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    const { db } = handle;
    const [a, b] = await db
      .insert(companies)
      .values([{ name: "A ApS" }, { name: "B ApS" }])
      .returning();
    companyA = a!.id;
    companyB = b!.id;
    const base = Date.parse("2024-03-01T12:00:00.000Z");
    const rows: NewTransfer[] = [];
    const statuses = ["booked", "draft", "failed", "skipped", "queued", "processing"] as const;
    for (let i = 0; i < 30; i++) {
      // Ten transfers share one instant, to prove the cursor's tie-break on id.
      const createdAt = i >= 10 && i < 20 ? new Date(base + 10 * 3_600_000) : new Date(base + i * 3_600_000);
      rows.push({
        companyId: companyA,
        rackbeatInvoiceNumber: String(1000 + i),
        status: statuses[i % statuses.length],
        orderNumber: `SO-${500 + i}`,
        customerNumber: String(20 + (i % 4)),
        customerName: ["Ørsted Bageri ApS", "Jens Hansen A/S", "Møller & Co", "100% Kaffe"][i % 4],
        invoiceDate: "2024-03-01",
        currency: "DKK",
        netAmount: `${i}1234.50`,
        createdAt,
        updatedAt: createdAt,
      });
    }
    // 23:30 UTC on 29 February is 00:30 on 1 March in Copenhagen.
    rows.push({
      companyId: companyA,
      rackbeatInvoiceNumber: "night",
      status: "booked",
      customerName: "Natteravn",
      createdAt: new Date("2024-02-29T23:30:00.000Z"),
    });
    await db.insert(transfers).values(rows);
    const [other] = await db
      .insert(transfers)
      .values({
        companyId: companyB,
        rackbeatInvoiceNumber: "1000",
        status: "failed",
        orderNumber: "SO-500",
        customerNumber: "20",
        customerName: "Ørsted Bageri ApS",
      })
      .returning();
    otherCompanyTransfer = other!.id;
    // What recordInvoice does for a transfer the engine records (these rows are inserted directly).
    for (const row of [...rows, other!]) {
      await recordTransferCustomer(db, row);
    }
    const all = await db.select().from(transfers);
    expectedA = all
      .filter((t) => t.companyId === companyA)
      .sort(
        (x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0),
      )
      .map((t) => t.id);
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function allPages(companyId: string, filters: ReviewFilters, pageSize: number): Promise<ReviewRow[]> {
    const seen: ReviewRow[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const page = await listTransfers(
        handle.db,
        companyId,
        { ...filters, cursor: decodeCursor(cursor) ?? undefined },
        pageSize,
      );
      seen.push(...page.rows);
      cursor = page.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error("pagination did not end");
  }

  it("lists the company's transfers newest first, ties broken by id", async () => {
    const page = await listTransfers(handle.db, companyA, {}, 100);
    expect(page.rows.map((r) => r.id)).toEqual(expectedA);
    expect(page.nextCursor).toBeNull();
    const first = page.rows[0]!;
    expect(first.rackbeatInvoiceNumber).toBe("1029");
    expect(first.netAmount).toBe("291234.50");
    expect(first.invoiceDate).toBe("2024-03-01");
    expect(first.createdAt).toBeInstanceOf(Date);
  });

  it("pages by cursor without duplicates or gaps, across identical createdAt", async () => {
    for (const size of [1, 3, 7]) {
      const rows = await allPages(companyA, {}, size);
      expect(rows.map((r) => r.id)).toEqual(expectedA);
    }
  });

  it("pages a filtered and a searched list the same way", async () => {
    const failed = await allPages(companyA, { status: "failed" }, 2);
    expect(failed.map((r) => r.id)).toEqual(expectedA.filter((id) => failed.some((r) => r.id === id)));
    expect(failed).toHaveLength(5);
    const hansen = await allPages(companyA, { q: "hansen" }, 3);
    expect(hansen).toHaveLength(8);
    expect(new Set(hansen.map((r) => r.id)).size).toBe(8);
    expect(hansen.map((r) => r.id)).toEqual(expectedA.filter((id) => hansen.some((r) => r.id === id)));
  });

  it("filters by status", async () => {
    for (const status of ["queued", "processing", "draft", "booked", "failed", "skipped"] as const) {
      const page = await listTransfers(handle.db, companyA, { status }, 100);
      expect(page.rows.length).toBeGreaterThan(0);
      expect(page.rows.every((r) => r.status === status)).toBe(true);
    }
  });

  it("filters by the Danish day received, inclusive on both ends", async () => {
    const march1 = await listTransfers(handle.db, companyA, { from: "2024-03-01", to: "2024-03-01" }, 100);
    expect(march1.rows.map((r) => r.rackbeatInvoiceNumber)).toContain("night");
    // 12:00Z + i h stays on 1 March (CET) for i ≤ 19 (the tied ten sit at 22:00Z); "night" is
    // 00:30 on 1 March in Copenhagen though 29 February in UTC.
    expect(march1.rows).toHaveLength(21);
    const onFirst = march1.rows.filter((r) => r.rackbeatInvoiceNumber !== "night");
    expect(onFirst.every((r) => Number(r.rackbeatInvoiceNumber) <= 1019)).toBe(true);
    const fromSecond = await listTransfers(handle.db, companyA, { from: "2024-03-02" }, 100);
    expect(fromSecond.rows.map((r) => r.rackbeatInvoiceNumber).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => String(1020 + i)).sort(),
    );
    const upToFeb = await listTransfers(handle.db, companyA, { to: "2024-02-29" }, 100);
    expect(upToFeb.rows).toHaveLength(0);
  });

  it("searches the invoice, order and customer number exactly and the name by fragment", async () => {
    const byInvoice = await listTransfers(handle.db, companyA, { q: "1007" }, 100);
    expect(byInvoice.rows.map((r) => r.rackbeatInvoiceNumber)).toEqual(["1007"]);
    const byOrder = await listTransfers(handle.db, companyA, { q: "SO-512" }, 100);
    expect(byOrder.rows.map((r) => r.rackbeatInvoiceNumber)).toEqual(["1012"]);
    const byCustomer = await listTransfers(handle.db, companyA, { q: "21" }, 100);
    expect(byCustomer.rows).toHaveLength(8);
    expect(byCustomer.rows.every((r) => r.customerNumber === "21")).toBe(true);
    const byName = await listTransfers(handle.db, companyA, { q: "ØRSTED" }, 100);
    expect(byName.rows).toHaveLength(8);
    const fragment = await listTransfers(handle.db, companyA, { q: "ller &" }, 100);
    expect(fragment.rows.every((r) => r.customerName === "Møller & Co")).toBe(true);
    expect(fragment.rows).toHaveLength(7);
    // LIKE's wildcards are searched literally.
    const percent = await listTransfers(handle.db, companyA, { q: "00%" }, 100);
    expect(percent.rows.every((r) => r.customerName === "100% Kaffe")).toBe(true);
    expect(percent.rows).toHaveLength(7);
    const underscore = await listTransfers(handle.db, companyA, { q: "J_ns" }, 100);
    expect(underscore.rows).toHaveLength(0);
    // Search combines with the status filter.
    const failedHansen = await listTransfers(handle.db, companyA, { q: "hansen", status: "booked" }, 100);
    expect(
      failedHansen.rows.every((r) => r.status === "booked" && r.customerName === "Jens Hansen A/S"),
    ).toBe(true);
  });

  it("never shows another company's transfers", async () => {
    const b = await listTransfers(handle.db, companyB, {}, 100);
    expect(b.rows.map((r) => r.id)).toEqual([otherCompanyTransfer]);
    const searchA = await listTransfers(handle.db, companyA, { q: "1000" }, 100);
    expect(searchA.rows.map((r) => r.id)).not.toContain(otherCompanyTransfer);
    expect(await loadTransferDetail(handle.db, companyA, otherCompanyTransfer)).toBeNull();
    expect(await loadTransferDetail(handle.db, companyA, "not-a-uuid")).toBeNull();
    expect(await loadTransferDetail(handle.db, companyA, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect((await loadTransferDetail(handle.db, companyB, otherCompanyTransfer))?.transfer.id).toBe(
      otherCompanyTransfer,
    );
  });

  it("counts per status, capped", async () => {
    const counts = await countTransfersByStatus(handle.db, companyA);
    expect(counts).toEqual({
      queued: { count: 5, capped: false },
      processing: { count: 5, capped: false },
      draft: { count: 5, capped: false },
      booked: { count: 6, capped: false },
      failed: { count: 5, capped: false },
      skipped: { count: 5, capped: false },
    });
    const capped = await countTransfersByStatus(handle.db, companyA, 5);
    expect(capped.booked).toEqual({ count: 5, capped: true });
    expect(capped.failed).toEqual({ count: 5, capped: false });
    const b = await countTransfersByStatus(handle.db, companyB);
    expect(b.failed.count).toBe(1);
    expect(b.booked.count).toBe(0);
  });

  it("treats a tampered cursor as the first page", async () => {
    const good = (await listTransfers(handle.db, companyA, {}, 5)).nextCursor!;
    const tampered = [
      `${good}x`,
      good.slice(0, -3),
      "%%%",
      encodeCursor({ createdAt: "2024-13-45T99:00:00.000000Z", id: "x" }),
      Buffer.from("2024-03-01T12:00:00.000000Z|1' or 1=1--").toString("base64url"),
      "a".repeat(500),
    ];
    for (const cursor of tampered) {
      const { filters, invalid } = parseReviewParams({ cursor });
      expect(filters.cursor).toBeUndefined();
      expect(invalid).toContain("cursor");
      const page = await listTransfers(handle.db, companyA, filters, 5);
      expect(page.rows.map((r) => r.id)).toEqual(expectedA.slice(0, 5));
    }
  });

  it("loads the detail with masked calls, mails and webhook events", async () => {
    const id = expectedA[0]!;
    await handle.db.insert(economicCalls).values({
      transferId: id,
      attempt: 1,
      method: "GET",
      path: "/customers?filter=email$eq:kunde@example.dk&token=abcd1234abcd1234abcd1234",
      status: 200,
      durationMs: 12,
    });
    await handle.db.insert(mailOutbox).values({
      companyId: companyA,
      transferId: id,
      fromAddress: "faktura@a.dk",
      toAddress: "kunde@example.dk",
      subject: "Faktura 1029",
      body: "Hej",
      attachmentName: "faktura-1029.pdf",
      attachment: Buffer.from("%PDF-1.4 test").toString("base64"),
      delivery: "outbox",
    });
    await handle.db.insert(webhookEvents).values({
      companyId: companyA,
      transferId: id,
      event: "invoice.booked",
      key: "1029",
      headers: { "rackbeat-account-id": "42" },
      body: { key_name: "number", key: "1029" },
    });
    const detail = await loadTransferDetail(handle.db, companyA, id);
    expect(detail?.calls[0]?.path).toBe("/customers?filter=email$eq:k***@example.dk&token=***");
    expect(detail?.mails).toHaveLength(1);
    expect(detail?.mails[0]).toMatchObject({ toAddress: "kunde@example.dk", hasAttachment: true });
    expect(detail?.webhooks[0]?.event).toBe("invoice.booked");
    const mailId = detail!.mails[0]!.id;
    const attachment = await loadMailAttachment(handle.db, companyA, id, mailId);
    expect(attachment?.content.toString()).toBe("%PDF-1.4 test");
    expect(await loadMailAttachment(handle.db, companyB, id, mailId)).toBeNull();
    expect(await loadMailAttachment(handle.db, companyA, otherCompanyTransfer, mailId)).toBeNull();
    expect(await loadBookedNumber(handle.db, companyA, id)).toBeNull();
  });
  /** Creates a company with these transfers, each customer remembered as last seen at its newest. */
  async function companyWith(name: string, rows: Omit<NewTransfer, "companyId">[]): Promise<string> {
    const [company] = await handle.db.insert(companies).values({ name }).returning();
    const companyId = company!.id;
    await handle.db.insert(transfers).values(rows.map((r) => ({ ...r, companyId })));
    const lastSeen = new Map<string, { customerNumber: string; customerName: string; lastSeenAt: Date }>();
    for (const r of rows) {
      if (!r.customerNumber || !r.customerName || !r.createdAt) continue;
      const key = `${r.customerNumber}|${r.customerName}`;
      const seen = lastSeen.get(key);
      if (!seen || seen.lastSeenAt < r.createdAt) {
        lastSeen.set(key, {
          customerNumber: r.customerNumber,
          customerName: r.customerName,
          lastSeenAt: r.createdAt,
        });
      }
    }
    await handle.db
      .insert(transferCustomers)
      .values([...lastSeen.values()].map((c) => ({ ...c, companyId })));
    return companyId;
  }

  /** The company's transfers matching `keep`, in the page's order. */
  async function expectedOrder(companyId: string, keep: (t: typeof transfers.$inferSelect) => boolean) {
    const all = await handle.db.select().from(transfers);
    return all
      .filter((t) => t.companyId === companyId && keep(t))
      .sort(
        (x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0),
      )
      .map((t) => t.id);
  }

  it("finds the transfers of every customer whose name matches, newest first, across pages without gaps", async () => {
    const base = Date.parse("2024-05-01T08:00:00.000Z");
    const names = [
      "Smedie Nord ApS",
      "Vestjysk Smedie",
      "SMEDIE & Co",
      "Bager Hansen",
      "Nordsmedien I/S",
      "Blomster ApS",
    ];
    const statuses: TransferStatus[] = ["booked", "draft", "failed", "booked", "skipped"];
    const rows: Omit<NewTransfer, "companyId">[] = [];
    for (let i = 0; i < 60; i++) {
      // Uneven customers (customer 0 has most), and groups of three sharing an instant.
      const customer = ((i * i) % 7) % names.length;
      const createdAt = new Date(base + Math.floor(i / 3) * 60_000);
      rows.push({
        rackbeatInvoiceNumber: String(5000 + i),
        status: statuses[i % statuses.length],
        customerNumber: String(300 + customer),
        customerName: names[customer],
        createdAt,
        updatedAt: createdAt,
      });
    }
    const companyId = await companyWith("Smedie-søgning ApS", rows);
    const matching = new Set(["300", "301", "302", "304"]);
    const expected = await expectedOrder(companyId, (t) => matching.has(t.customerNumber ?? ""));
    expect(expected.length).toBeGreaterThan(30);
    for (const size of [1, 4, 7, 50]) {
      const found = await allPages(companyId, { q: "smedie" }, size);
      expect(found.map((r) => r.id)).toEqual(expected);
    }
    const booked = await allPages(companyId, { q: "SMEDIE", status: "booked" }, 3);
    expect(booked.map((r) => r.id)).toEqual(
      await expectedOrder(companyId, (t) => matching.has(t.customerNumber ?? "") && t.status === "booked"),
    );
    const none = await listTransfers(handle.db, companyId, { q: "smedjen" }, 10);
    expect(none.rows).toEqual([]);
  });

  it("shows the newest matches first when a fragment matches more customers than it reads", async () => {
    const base = Date.parse("2024-06-01T08:00:00.000Z");
    const customers = NAME_SEARCH_CUSTOMER_CAP + 30;
    const rows: Omit<NewTransfer, "companyId">[] = [];
    for (let k = 0; k < customers; k++) {
      // Each customer's newest transfer is newer than the previous customer's, plus an older one.
      for (const age of [0, 3]) {
        const createdAt = new Date(base + (k - age * customers) * 60_000);
        rows.push({
          rackbeatInvoiceNumber: `${k}-${age}`,
          status: "booked",
          customerNumber: String(1000 + k),
          customerName: `Tømrer ${k} ApS`,
          createdAt,
          updatedAt: createdAt,
        });
      }
    }
    const companyId = await companyWith("Mange tømrere ApS", rows);
    const expected = await expectedOrder(companyId, () => true);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < NAME_SEARCH_CUSTOMER_CAP / 50; page++) {
      const result = await listTransfers(
        handle.db,
        companyId,
        { q: "tømrer", cursor: decodeCursor(cursor) ?? undefined },
        50,
      );
      seen.push(...result.rows.map((r) => r.id));
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(expected.slice(0, seen.length));
    expect(seen).toHaveLength(NAME_SEARCH_CUSTOMER_CAP);
  });

  it("finds a customer renamed in Rackbeat by its new name (and its old one), through recordInvoice", async () => {
    const [company] = await handle.db.insert(companies).values({ name: "Omdøbt ApS" }).returning();
    const companyId = company!.id;
    const lease = {
      status: "processing" as const,
      leaseOwner: "review-test",
      leaseExpiresAt: new Date(Date.now() + 60_000),
    };
    const [older, newer] = await handle.db
      .insert(transfers)
      .values([
        { companyId, rackbeatInvoiceNumber: "7001", createdAt: new Date("2024-07-01T10:00:00Z"), ...lease },
        { companyId, rackbeatInvoiceNumber: "7002", createdAt: new Date("2024-07-02T10:00:00Z"), ...lease },
      ])
      .returning();
    const invoice = (number: string, name: string) =>
      rackbeatCustomerInvoiceSchema.parse({
        number,
        customer_id: 77,
        customer: { number: 77, company_name: name, vat_zone: 1, currency: "DKK" },
        currency: "DKK",
        date: "2024-07-01",
        is_booked: true,
        total_subtotal: "100.00",
        total_total: "125.00",
        lines: [],
      });
    for (const [transfer, name] of [
      [older!, "Gammelt Navn ApS"],
      [newer!, "Helt Nyt Navn ApS"],
    ] as const) {
      const ctx = makeProcessContext(handle.db, transfer, { workerId: "review-test" });
      await recordInvoice(ctx, invoice(transfer.rackbeatInvoiceNumber, name), transfer);
    }
    const byNew = await listTransfers(handle.db, companyId, { q: "nyt navn" }, 10);
    expect(byNew.rows.map((r) => [r.rackbeatInvoiceNumber, r.customerName])).toEqual([
      ["7002", "Helt Nyt Navn ApS"],
      ["7001", "Gammelt Navn ApS"],
    ]);
    const byOld = await listTransfers(handle.db, companyId, { q: "gammelt" }, 10);
    expect(byOld.rows.map((r) => r.rackbeatInvoiceNumber)).toEqual(["7002", "7001"]);
    // Recording the same invoice again (a retry) adds nothing.
    const ctx = makeProcessContext(handle.db, newer!, { workerId: "review-test" });
    await recordInvoice(ctx, invoice("7002", "Helt Nyt Navn ApS"), newer!);
    const known = await handle.db.select().from(transferCustomers);
    expect(
      known
        .filter((c) => c.companyId === companyId)
        .map((c) => c.customerName)
        .sort(),
    ).toEqual(["Gammelt Navn ApS", "Helt Nyt Navn ApS"]);
  });

  it("searches only the company's own customers by name", async () => {
    // Company A's customer 21 is "Jens Hansen A/S"; here 21 is someone else.
    const createdAt = new Date("2024-08-01T10:00:00Z");
    const companyId = await companyWith("Frisør G ApS", [
      {
        rackbeatInvoiceNumber: "1000",
        status: "booked",
        customerNumber: "21",
        customerName: "Kun G Frisør",
        createdAt,
      },
    ]);
    expect((await listTransfers(handle.db, companyA, { q: "kun g" }, 100)).rows).toEqual([]);
    expect((await listTransfers(handle.db, companyId, { q: "hansen" }, 100)).rows).toEqual([]);
    expect((await listTransfers(handle.db, companyId, { q: "ørsted" }, 100)).rows).toEqual([]);
    const own = await listTransfers(handle.db, companyId, { q: "frisør" }, 100);
    expect(own.rows.map((r) => [r.customerNumber, r.customerName])).toEqual([["21", "Kun G Frisør"]]);
    const ørsted = await listTransfers(handle.db, companyB, { q: "ørsted" }, 100);
    expect(ørsted.rows.map((r) => r.id)).toEqual([otherCompanyTransfer]);
  });
});
