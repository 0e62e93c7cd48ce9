import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies, companyIntegrations, transfers, webhookEvents } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { receiveRackbeatWebhook } from "./receive-webhook";

const INVOICE_TOKEN = "InvoiceTokenInvoiceTokenInvoice1";
const CUSTOMER_TOKEN = "CustomerTokenCustomerTokenCusto2";
const ACCOUNT = "5150";

/** The intake's master-data events (debitor integration): same authentication, limits and answers. */
describe.each(dbKinds)("master-data events at the intake on %s", (kind) => {
  let t: TestDb;
  let companyId: string;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const [company] = await t.db.insert(companies).values({ name: "Stamdata ApS" }).returning();
    companyId = company!.id;
    await t.db.insert(companyIntegrations).values({
      companyId,
      rackbeatAccountId: ACCOUNT,
      rackbeatWebhookId: "1",
      rackbeatWebhookTokenHash: hashToken(INVOICE_TOKEN),
      rackbeatWebhookEvents: ["invoice.booked"],
      rackbeatRecordWebhooks: [
        { event: "customer.updated", webhookId: "2", tokenHash: hashToken(CUSTOMER_TOKEN) },
        { event: "kundegruppe.oprettet", webhookId: "3", tokenHash: hashToken(CUSTOMER_TOKEN) },
      ],
      // A renamed event (the names are settings).
      rackbeatRecordEvents: { "customer_group.created": "kundegruppe.oprettet" },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  function deliver(event: string, key: unknown, token = CUSTOMER_TOKEN) {
    return receiveRackbeatWebhook(
      t.db,
      new Request("http://app.test/api/rackbeat/webhooks", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "rackbeat-webhook-token": token,
          "rackbeat-webhook-event": event,
          "rackbeat-account-id": ACCOUNT,
        },
        body: JSON.stringify({ key_name: "number", key }),
      }),
      { onQueued: () => {}, logger: { error: () => {} } },
    );
  }

  it("queues one sync per record however many deliveries arrive, and stores each delivery", async () => {
    const answers = await Promise.all([1, 2, 3].map(() => deliver("customer.updated", 1001)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const ids = new Set(
      await Promise.all(answers.map(async (a) => ((await a.json()) as { transferId: string }).transferId)),
    );
    expect(ids.size).toBe(1);
    const [row] = await t.db
      .select()
      .from(transfers)
      .where(eq(transfers.rackbeatInvoiceNumber, "customer:1001"));
    expect(row).toMatchObject({ kind: "customer", status: "queued", companyId });
    const events = await t.db.select().from(webhookEvents).where(eq(webhookEvents.transferId, row!.id));
    expect(events).toHaveLength(3);
  });

  it("maps a renamed event to its kind", async () => {
    expect((await deliver("kundegruppe.oprettet", "12")).status).toBe(202);
    const [row] = await t.db
      .select()
      .from(transfers)
      .where(eq(transfers.rackbeatInvoiceNumber, "customer_group:12"));
    expect(row?.kind).toBe("customer_group");
  });

  it("refuses a wrong token (401), an unregistered event (400) and a key that is no record number (400)", async () => {
    const wrong = await deliver("customer.updated", 1001, "NotOurTokenNotOurTokenNotOurTok3");
    expect(wrong.status).toBe(401);
    const unknown = await deliver("product_group.created", 5);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe(
      "Rackbeat-Webhook-Event",
    );
    const bad = await deliver("customer.updated", "K-17");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("key");
    const rows = await t.db.select().from(transfers).where(eq(transfers.companyId, companyId));
    expect(rows.map((r) => r.rackbeatInvoiceNumber).sort()).toEqual(["customer:1001", "customer_group:12"]);
  });

  it("an invoice delivery is still an invoice (its key is never taken for a record)", async () => {
    expect((await deliver("invoice.booked", "1001", INVOICE_TOKEN)).status).toBe(202);
    const [row] = await t.db.select().from(transfers).where(eq(transfers.rackbeatInvoiceNumber, "1001"));
    expect(row?.kind).toBe("invoice");
  });
});
