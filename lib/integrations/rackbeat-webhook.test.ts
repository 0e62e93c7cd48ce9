import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyIntegrations, webhookEvents } from "@/db/schema";
import { rbWebhooks } from "@/lib/sandbox/rackbeat/schema";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { type Sandboxes, startSandboxes, transferOf, WEBHOOK_PATH } from "@/test/support/sandboxes";
import {
  changeInvoiceEvent,
  rackbeatEventInputSchema,
  reregisterInvoiceWebhook,
  webhookHealth,
} from "./rackbeat-webhook";

describe.each(dbKinds)("the invoice event as a company setting (%s)", (kind) => {
  let t: TestDb;
  let sandboxes: Sandboxes;

  beforeAll(async () => {
    t = await createTestDb(kind);
    sandboxes = await startSandboxes(t.db, { webhookRetryDelaysMs: [50] });
  }, 60_000);
  afterAll(async () => {
    await sandboxes?.close();
    await t?.close();
  });

  const options = () => ({ urls: sandboxes.urls, appUrl: sandboxes.url });

  it("validates the name", () => {
    expect(rackbeatEventInputSchema.safeParse({ event: "customer_invoice.booked" }).success).toBe(true);
    for (const bad of ["", "booked", "invoice booked", "a.".padEnd(120, "b")]) {
      expect(rackbeatEventInputSchema.safeParse({ event: bad }).success).toBe(false);
    }
  });

  it("registers a changed event name: its deliveries are accepted, the old one's refused", async () => {
    const company = await sandboxes.createCompany();
    const oldToken = company.webhookToken!;
    const changed = await changeInvoiceEvent(
      t.db,
      company.companyId,
      { event: "customer_invoice.booked" },
      options(),
    );
    expect(changed.ok).toBe(true);
    const [row] = await t.db
      .select()
      .from(companyIntegrations)
      .where(eq(companyIntegrations.companyId, company.companyId));
    expect(row).toMatchObject({
      rackbeatInvoiceEvent: "customer_invoice.booked",
      rackbeatWebhookEvents: ["customer_invoice.booked"],
    });
    const hooks = await company.rackbeat.listWebhooks();
    expect(hooks.map((h) => h.event)).toEqual(["customer_invoice.booked"]);

    // Rackbeat (the sandbox, told the real name) fires the new event: delivered and accepted.
    await company.setRackbeatFaults({ invoiceEvent: "customer_invoice.booked" });
    const number = await company.bookInvoice({
      customer_id: 101,
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    });
    await sandboxes.rackbeatSandbox.idle();
    const transfer = await transferOf(t.db, company.companyId, number);
    expect(transfer).toBeDefined();
    const events = await t.db.select().from(webhookEvents).where(eq(webhookEvents.transferId, transfer!.id));
    expect(events.map((e) => e.event)).toEqual(["customer_invoice.booked"]);

    // The old event name is refused: with the new webhook's token (400, naming the event header)
    // and with the old webhook's token (401: that webhook is gone).
    const [current] = await t.db
      .select()
      .from(rbWebhooks)
      .where(
        and(
          eq(rbWebhooks.accountId, company.rackbeatAccountId),
          eq(rbWebhooks.event, "customer_invoice.booked"),
        ),
      );
    for (const [token, status] of [
      [current!.token, 400],
      [oldToken, 401],
    ] as const) {
      const response = await fetch(`${sandboxes.url}${WEBHOOK_PATH}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Rackbeat-Webhook-Token": token,
          "Rackbeat-Webhook-Event": "invoice.booked",
          "Rackbeat-Account-Id": String(company.rackbeatAccountId),
        },
        body: JSON.stringify({ key_name: "number", key: "999999" }),
      });
      expect(response.status).toBe(status);
    }
  });

  it("shows the webhook's health and registers a deactivated or deleted one again", async () => {
    const company = await sandboxes.createCompany();
    expect(await webhookHealth(t.db, company.companyId, options())).toMatchObject({
      status: "active",
      event: "invoice.booked",
      failures: 0,
    });
    await company.setRackbeatFaults({ deactivateWebhooks: true });
    expect((await webhookHealth(t.db, company.companyId, options())).status).toBe("inactive");
    expect((await reregisterInvoiceWebhook(t.db, company.companyId, options())).ok).toBe(true);
    expect((await webhookHealth(t.db, company.companyId, options())).status).toBe("active");

    for (const hook of await company.rackbeat.listWebhooks()) await company.rackbeat.deleteWebhook(hook.id);
    expect((await webhookHealth(t.db, company.companyId, options())).status).toBe("missing");
    expect((await reregisterInvoiceWebhook(t.db, company.companyId, options())).ok).toBe(true);
    expect((await webhookHealth(t.db, company.companyId, options())).status).toBe("active");
    // The fresh token works: a booking is delivered and accepted.
    await company.clearRackbeatFaults();
    const number = await company.bookInvoice({
      customer_id: 101,
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    });
    await sandboxes.rackbeatSandbox.idle();
    expect(await transferOf(t.db, company.companyId, number)).toBeDefined();
    expect(sandboxes.intakeStatuses.get(202)).toBeGreaterThanOrEqual(2);
  });
});
