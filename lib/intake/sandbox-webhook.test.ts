import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies, companyIntegrations, transfers, webhookEvents } from "@/db/schema";
import { encryptSecret, hashToken } from "@/lib/crypto/secrets";
import type { ExternalUrls } from "@/lib/env";
import { rackbeatClientWithKey } from "@/lib/integrations/clients";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "@/lib/sandbox/rackbeat";
import { ENGINE_PENDING_REASON, fetchInvoiceProcessor } from "@/lib/transfer/fetch-invoice";
import { startWorker, type TransferWorker } from "@/lib/transfer/worker";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { receiveRackbeatWebhook } from "./receive-webhook";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(25);
  }
}

/**
 * End to end over real HTTP: the Rackbeat sandbox books an invoice and delivers its webhook to our
 * intake, which queues a transfer; a worker with the interim processor fetches the invoice back
 * from the sandbox with the company's key and records it.
 */
describe.each(dbKinds)("a Rackbeat sandbox webhook reaching the intake on %s", (kind) => {
  let t: TestDb;
  let sandbox: RackbeatSandboxHandler;
  let server: TestServer;
  let worker: TransferWorker | undefined;
  let apiKey: string;
  let companyId: string;
  let urls: ExternalUrls;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${urls.rackbeat}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: sandbox answers are inspected loosely
    return { status: res.status, json: (await res.json()) as any };
  };
  const bookInvoice = async (order: string) => {
    const created = await api("POST", "/customer-invoices", {
      customer_id: 105,
      date: "2025-03-14",
      order: { number: order },
      lines: [{ child_id: "OST-002", quantity: 1.333, line_price: 12.345678 }],
    });
    expect(created.status).toBe(201);
    const number: string = created.json.customer_invoice.number;
    expect((await api("POST", `/customer-invoices/${number}/book`)).status).toBe(200);
    return number;
  };
  const transferOf = async (number: string) => {
    const [row] = await t.db.select().from(transfers).where(eq(transfers.rackbeatInvoiceNumber, number));
    return row;
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    sandbox = createRackbeatSandbox({
      db: async () => t.db,
      webhooks: { retryDelaysMs: [50, 100], timeoutMs: 5_000 },
    });
    server = await serve(async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/sandbox/rackbeat/")) return sandbox(request);
      if (pathname === "/api/rackbeat/webhooks" && request.method === "POST") {
        return receiveRackbeatWebhook(t.db, request, { onQueued: () => worker?.wake() });
      }
      return new Response("Not found", { status: 404 });
    });
    urls = {
      economicRest: `${server.url}/sandbox/economic`,
      economicProducts: `${server.url}/sandbox/economic/productsapi/v1.1.0`,
      economicProjects: `${server.url}/sandbox/economic/projectsapi/v1.1.0`,
      economicGrant: `${server.url}/sandbox/economic/requestaccess`,
      rackbeat: `${server.url}/sandbox/rackbeat/api`,
    };

    const account = await fetch(`${server.url}/sandbox/rackbeat/accounts`, { method: "POST" });
    expect(account.status).toBe(201);
    const { apiKey: key, accountId } = (await account.json()) as { apiKey: string; accountId: number };
    apiKey = key;
    // What the setup guide stores when Rackbeat is connected.
    const rackbeat = rackbeatClientWithKey(apiKey, { urls });
    const webhook = await rackbeat.registerWebhookWithToken({
      event: "invoice.booked",
      url: `${server.url}/api/rackbeat/webhooks`,
    });
    const [company] = await t.db.insert(companies).values({ name: "Sandkasse ApS" }).returning();
    companyId = company!.id;
    await t.db.insert(companyIntegrations).values({
      companyId,
      rackbeatApiKeyEnc: encryptSecret(apiKey),
      rackbeatApiKeyHint: "…test",
      rackbeatAccountId: String(accountId),
      rackbeatWebhookId: String(webhook.id),
      rackbeatWebhookTokenHash: hashToken(webhook.token),
      rackbeatWebhookEvents: [webhook.event],
    });
  });
  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    await sandbox?.idle();
    await server?.close();
    await t?.close();
  });

  it("books an invoice, receives its webhook, and records the invoice on the transfer", async () => {
    const number = await bookInvoice("5001");
    await sandbox.idle();

    const deliveries = await api("GET", "/webhook-deliveries");
    expect(deliveries.json.webhook_deliveries[0]).toMatchObject({
      event: "invoice.booked",
      key: number,
      attempts: 1,
      response_status: 202,
    });
    const queued = await transferOf(number);
    expect(queued).toMatchObject({ companyId, status: "queued", invoice: null });
    const [event] = await t.db.select().from(webhookEvents).where(eq(webhookEvents.transferId, queued!.id));
    expect(event).toMatchObject({
      event: "invoice.booked",
      key: number,
      body: { key_name: "number", key: number },
    });
    expect(Object.keys(event!.headers as object)).not.toContain("rackbeat-webhook-token");

    worker = startWorker({ db: async () => t.db, processor: fetchInvoiceProcessor, urls, pollMs: 600_000 });
    const done = await waitFor(async () => {
      const row = await transferOf(number);
      return row?.status === "skipped" && row;
    });
    expect(done).toMatchObject({
      skipReason: ENGINE_PENDING_REASON,
      orderNumber: "5001",
      customerNumber: "105",
      customerName: "Tømrerfirmaet Hansen & Søn ApS",
      invoiceDate: "2025-03-14",
      currency: "DKK",
      netAmount: "16.46",
      attempts: 1,
      leaseOwner: null,
    });
    expect(done.invoice).toMatchObject({ number, is_booked: true, customer_id: 105 });
  });

  it("a redelivery answers with the same transfer and creates nothing new", async () => {
    const number = await bookInvoice("5002");
    await sandbox.idle();
    const first = await waitFor(async () => {
      const row = await transferOf(number);
      return row?.status === "skipped" && row;
    });
    const deliveries = await api("GET", "/webhook-deliveries");
    const delivery = deliveries.json.webhook_deliveries.find((d: { key: string }) => d.key === number);
    const again = await api("POST", `/webhook-deliveries/${delivery.id}/redeliver`);
    expect(again.json.webhook_delivery.result).toMatchObject({ ok: true, response_status: 202 });
    const events = await t.db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.transferId, first.id))
      .orderBy(asc(webhookEvents.id));
    expect(events).toHaveLength(2);
    expect(
      await t.db.select().from(transfers).where(eq(transfers.rackbeatInvoiceNumber, number)),
    ).toHaveLength(1);
    expect((await transferOf(number))?.status).toBe("skipped");
  });
});
