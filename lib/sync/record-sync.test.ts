import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { type Transfer, transfers, webhookEvents } from "@/db/schema";
import { syncRecordWebhooks } from "@/lib/integrations/record-webhooks";
import { createTransferProcessor } from "@/lib/transfer/run";
import { startWorker, type TransferWorker } from "@/lib/transfer/worker";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import {
  economicCallsOf,
  type SandboxCompany,
  type Sandboxes,
  startSandboxes,
  transferOf,
} from "@/test/support/sandboxes";
import { withRecordSyncs } from "./dispatch";
import { recordSyncProgress, startFirstSync } from "./first-sync";
import { DEFAULT_RECORD_EVENTS } from "./record-key";

/**
 * The debitor integration end to end: records created and changed through the Rackbeat sandbox's
 * API fire its webhooks, the production intake queues one sync per record, the worker writes the
 * record's latest state to the e-conomic sandbox.
 */
describe.each(dbKinds)("debitor integration through both sandboxes (%s)", (kind) => {
  let testDb: TestDb;
  let sandboxes: Sandboxes;
  let worker: TransferWorker;
  let company: SandboxCompany;
  const start = () =>
    startWorker({
      db: async () => testDb.db,
      processor: withRecordSyncs(createTransferProcessor({ mailer: null })),
      concurrency: 4,
      pollMs: 50,
      leaseMs: 5_000,
      // Steps the first sync's walk over Rackbeat (lib/sync/first-sync.ts).
      reconcile: { sweepIntervalMs: 0, tickMs: 50 },
      urls: sandboxes.urls,
      retryPolicy: { baseDelayMs: 50, maxDelayMs: 500, maxAttempts: 5 },
      logger: { error: () => {}, warn: () => {} },
    });

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    sandboxes = await startSandboxes(testDb.db, { webhookRetryDelaysMs: [100, 300] });
    worker = start();
    company = await sandboxes.createCompany();
    const registered = await syncRecordWebhooks(testDb.db, company.companyId, {
      urls: sandboxes.urls,
      appUrl: sandboxes.url,
    });
    expect(registered).toEqual({ ok: true, events: Object.values(DEFAULT_RECORD_EVENTS) });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    await sandboxes?.close();
    await testDb?.close();
  });

  async function rackbeat(method: "POST" | "PUT", path: string, body: unknown): Promise<void> {
    const response = await fetch(`${sandboxes.urls.rackbeat}${path}`, {
      method,
      headers: { Authorization: `Bearer ${company.rackbeatApiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  }

  /** Waits until the record's deliveries are in and its sync has settled (nothing queued again). */
  async function settled(key: string): Promise<Transfer> {
    await sandboxes.rackbeatSandbox.idle();
    const until = Date.now() + 30_000;
    for (;;) {
      const row = await transferOf(testDb.db, company.companyId, key);
      if (
        row &&
        !row.resyncRequested &&
        (row.status === "booked" || (row.status === "failed" && !row.nextAttemptAt))
      )
        return row;
      if (Date.now() > until) throw new Error(`sync ${key} did not settle: ${JSON.stringify(row?.status)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("a customer group created in Rackbeat appears in e-conomic with Konto til kundegrupper, once", async () => {
    await rackbeat("POST", "/customer-groups", { number: 77, name: "Grossister" });
    const sync = await settled("customer_group:77");
    expect(sync.status).toBe("booked");
    expect(sync.kind).toBe("customer_group");
    const group = await company.economic.customerGroups.get(77);
    expect(group.name).toBe("Grossister");
    expect(group.account?.accountNumber).toBe(5600);
    expect((await economicCallsOf(testDb.db, sync.id)).filter((c) => c.startsWith("POST"))).toHaveLength(1);
  }, 60_000);

  it("a product group created in Rackbeat appears with the four per-zone revenue accounts", async () => {
    await rackbeat("POST", "/product-groups", { number: 88, name: "Kaffe" });
    const sync = await settled("product_group:88");
    expect(sync.status).toBe("booked");
    const accounts = await company.economic.productGroups.salesAccounts(88);
    const byZone = Object.fromEntries(
      accounts.map((a) => [a.vatZone.vatZoneNumber, a.salesAccount.accountNumber]),
    );
    expect(byZone).toEqual({ 1: 1010, 2: 1025, 3: 1020, 4: 1015 });
  }, 60_000);

  it("a group renamed in Rackbeat gets its new name in e-conomic, its accounts as they were created", async () => {
    // The settings' accounts change afterwards: they apply "ved oprettelse" only.
    await company.saveSettings({
      customerGroupAccount: 5610,
      productGroupAccounts: { domestic: 1011, eu: 1026, abroad: 1021, domesticExempt: 1016 },
    });
    await rackbeat("PUT", "/customer-groups/77", { name: "Grossister Nord" });
    await rackbeat("PUT", "/product-groups/88", { name: "Kaffe og te" });
    const customerGroupSync = await settled("customer_group:77");
    const productGroupSync = await settled("product_group:88");
    expect([customerGroupSync.status, productGroupSync.status]).toEqual(["booked", "booked"]);
    const group = await company.economic.customerGroups.get(77);
    expect(group).toMatchObject({ name: "Grossister Nord", account: { accountNumber: 5600 } });
    expect((await company.economic.productGroups.get(88)).name).toBe("Kaffe og te");
    const accounts = await company.economic.productGroups.salesAccounts(88);
    expect(
      Object.fromEntries(accounts.map((a) => [a.vatZone.vatZoneNumber, a.salesAccount.accountNumber])),
    ).toEqual({ 1: 1010, 2: 1025, 3: 1020, 4: 1015 });
    const calls = [
      ...(await economicCallsOf(testDb.db, customerGroupSync.id)),
      ...(await economicCallsOf(testDb.db, productGroupSync.id)),
    ];
    expect(calls.filter((c) => c.startsWith("PUT /customer-groups/77 "))).toHaveLength(1);
    // (The Products API's calls are logged as `products:<path>`.)
    expect(
      calls.filter((c) => c.startsWith("PUT products:/productgroups ")),
      calls.join("\n"),
    ).toHaveLength(1);
    // Each group was created once, by its first sync.
    expect(calls.filter((c) => /^POST (\/customer-groups|products:\/productgroups) /.test(c))).toHaveLength(
      2,
    );

    // A group whose name already matches costs no write.
    await rackbeat("PUT", "/customer-groups/77", { name: "Grossister Nord" });
    const again = await settled("customer_group:77");
    const after = await economicCallsOf(testDb.db, again.id);
    expect(after.filter((c) => c.startsWith("PUT "))).toHaveLength(1);
    await company.saveSettings({});
  }, 60_000);

  it("a customer is created with its group and fields, then updated when its address changes", async () => {
    await rackbeat("POST", "/customers", {
      number: 5001,
      company_name: "Café Ørsted ApS",
      company_vat: "DK12345678",
      ean: "5790000123456",
      address_street: "Nørregade 1",
      address_zipcode: "1165",
      address_city: "København K",
      address_country: "Danmark",
      contact_email: "bogholderi@orsted.example",
      group: { number: 77 },
      vat_zone: 1,
      currency: "DKK",
    });
    const created = await settled("customer:5001");
    expect(created.status).toBe("booked");
    const customer = await company.economic.customers.get(5001);
    expect(customer).toMatchObject({
      name: "Café Ørsted ApS",
      corporateIdentificationNumber: "DK12345678",
      ean: "5790000123456",
      address: "Nørregade 1",
      zip: "1165",
      city: "København K",
      email: "bogholderi@orsted.example",
      currency: "DKK",
      customerGroup: { customerGroupNumber: 77 },
      vatZone: { vatZoneNumber: 1 },
    });
    // Its group existed already (synced above): not created again.
    const groups = await company.economic.customerGroups.all();
    expect(groups.filter((g) => g.customerGroupNumber === 77)).toHaveLength(1);

    await rackbeat("PUT", "/customers/5001", { address_street: "Vestergade 9", address_city: "Aarhus C" });
    await settled("customer:5001");
    const updated = await company.economic.customers.get(5001);
    expect(updated).toMatchObject({ address: "Vestergade 9", city: "Aarhus C", name: "Café Ørsted ApS" });
  }, 60_000);

  it("an invoice for a synced customer reuses what the sync created (no customer or group call)", async () => {
    const number = await company.bookInvoice({
      customer_id: 5001,
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    });
    const until = Date.now() + 30_000;
    let row = await transferOf(testDb.db, company.companyId, number);
    while (!(row && ["draft", "booked", "failed"].includes(row.status)) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      row = await transferOf(testDb.db, company.companyId, number);
    }
    expect(row?.status).toBe("draft");
    const calls = await economicCallsOf(testDb.db, row!.id);
    // (Its EAN contact person is the invoice's business, not the sync's.)
    const customerCalls = calls.filter((c) => /^\w+ \/(customers(\/\d+)?|customer-groups(\/\d+)?) /.test(c));
    expect(customerCalls, calls.join("\n")).toEqual([]);
    const draft = await company.economic.draftInvoices.get(row!.economicDraftNumber!);
    expect(draft.customer.customerNumber).toBe(5001);
  }, 60_000);

  it("50 rapid updates of one customer make a few e-conomic writes, and the last state wins", async () => {
    await rackbeat("POST", "/customers", {
      number: 5002,
      company_name: "Bager Hansen",
      group: { number: 77 },
    });
    const first = await settled("customer:5002");
    const writesBefore = (await economicCallsOf(testDb.db, first.id)).filter((c) => /^(POST|PUT) /.test(c));
    for (let i = 1; i <= 50; i++) {
      await rackbeat("PUT", "/customers/5002", { address_street: `Bagergade ${i}` });
    }
    const last = await settled("customer:5002");
    expect(last.status).toBe("booked");
    expect((await company.economic.customers.get(5002)).address).toBe("Bagergade 50");
    const writes = (await economicCallsOf(testDb.db, last.id)).filter((c) => /^(POST|PUT) /.test(c));
    const burstWrites = writes.length - writesBefore.length;
    expect(burstWrites).toBeGreaterThanOrEqual(1);
    expect(burstWrites).toBeLessThanOrEqual(5);
    // Every delivery was received and stored, against the one sync row.
    const events = await testDb.db.select().from(webhookEvents).where(eq(webhookEvents.transferId, last.id));
    expect(events.length).toBe(51);
    const rows = await testDb.db.select().from(transfers).where(eq(transfers.companyId, company.companyId));
    expect(rows.filter((r) => r.rackbeatInvoiceNumber === "customer:5002")).toHaveLength(1);
  }, 90_000);

  it("the first sync brings every record over once, adopting what e-conomic has, across a restart", async () => {
    // A company whose master-data webhooks are not registered: only the first sync moves records.
    const other = await sandboxes.createCompany();
    const post = (path: string, body: unknown) => other.rackbeatPost(path, body);
    await post("/customer-groups", { number: 310, name: "Detail" });
    await post("/product-groups", { number: 410, name: "Te" });
    const numbers = Array.from({ length: 40 }, (_, i) => 7001 + i);
    for (const n of numbers) {
      await post("/customers", { number: n, company_name: `Kunde ${n}`, group: { number: 310 } });
    }
    // Ten of them exist in e-conomic already (created there before the integration).
    await other.seedEconomicMasterData({ customers: numbers.slice(0, 10) });

    const started = await startFirstSync(testDb.db, other.companyId);
    expect(started).toMatchObject({ ok: true, alreadyRunning: false });
    // A restart mid-way: the worker stops at once, a new one takes over.
    await new Promise((r) => setTimeout(r, 300));
    await worker.stop({ graceMs: 0 });
    worker = start();
    // Started again by an impatient admin: the running walk is found, or (if it finished) a new
    // one queues every record again, which the syncs settle without a second create.
    expect((await startFirstSync(testDb.db, other.companyId)).ok).toBe(true);

    const until = Date.now() + 60_000;
    let progress = await recordSyncProgress(testDb.db, other.companyId);
    while ((progress.job?.status === "running" || progress.pending > 0) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      progress = await recordSyncProgress(testDb.db, other.companyId);
    }
    expect(progress.job?.status).toBe("done");
    // Every record found in Rackbeat has one sync row, all synced.
    const failedRows = await testDb.db
      .select({ key: transfers.rackbeatInvoiceNumber, error: transfers.lastError })
      .from(transfers)
      .where(sql`${transfers.companyId} = ${other.companyId}::uuid and ${transfers.status} <> 'booked'`);
    expect(progress, JSON.stringify(failedRows)).toMatchObject({
      failed: 0,
      pending: 0,
      total: progress.job?.found,
    });
    const customers = (await other.economic.customers.all()).map((c) => c.customerNumber);
    for (const n of numbers)
      expect(
        customers.filter((c) => c === n),
        `customer ${n}`,
      ).toHaveLength(1);
    const [posts] = rowsOf<{ n: number }>(
      await testDb.db.execute(sql`
        select count(*)::int as n from economic_calls c join transfers t on t.id = c.transfer_id
        where t.company_id = ${other.companyId}::uuid and c.method = 'POST' and c.path = '/customers'
          and c.status between 200 and 299`),
    );
    // Every Rackbeat customer (the account's seeded ones too) created, except the ten adopted ones;
    // a create cut short by the restart may be refused as taken and adopted: not counted.
    const inRackbeat = (await other.rackbeat.listRecordNumbers("customers", { page: 1, limit: 100 })).numbers;
    expect(inRackbeat.length).toBeGreaterThanOrEqual(40);
    for (const n of inRackbeat)
      expect(
        customers.filter((c) => c === n),
        `customer ${n}`,
      ).toHaveLength(1);
    // (A create answered while the worker was stopped may be missing from the call log: at most.)
    expect(Number(posts?.n)).toBeLessThanOrEqual(inRackbeat.length - 10);
    expect(Number(posts?.n)).toBeGreaterThanOrEqual(inRackbeat.length - 10 - 8);
  }, 120_000);

  it("turning the debitor integration off deletes the master-data webhooks, and their events are refused", async () => {
    const off = await sandboxes.createCompany();
    const options = { urls: sandboxes.urls, appUrl: sandboxes.url };
    expect((await syncRecordWebhooks(testDb.db, off.companyId, options)).ok).toBe(true);
    await off.saveSettings({ debtorIntegration: false });
    expect(await syncRecordWebhooks(testDb.db, off.companyId, options)).toEqual({ ok: true, events: [] });
    const hooks = await off.rackbeat.listWebhooks();
    expect(hooks.map((h) => h.event)).toEqual(["invoice.booked"]);
    await off.rackbeatPost("/customer-groups", { number: 555, name: "Efter" });
    await sandboxes.rackbeatSandbox.idle();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await transferOf(testDb.db, off.companyId, "customer_group:555")).toBeUndefined();
  }, 60_000);
});
