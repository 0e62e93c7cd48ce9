import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "./router";

describe.each(dbKinds)("Rackbeat sandbox faults and the booked list on %s", (kind) => {
  let t: TestDb;
  let sandbox: RackbeatSandboxHandler;
  let server: TestServer;
  let receiver: TestServer;
  let base: string;
  let key: string;
  let accountId: number;
  const received: string[] = [];

  // biome-ignore lint/suspicious/noExplicitAny: responses are inspected loosely
  const call = async (method: string, url: string, body?: unknown, apiKey = key): Promise<any> => {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  };
  const api = (method: string, path: string, body?: unknown) => call(method, `${base}/api${path}`, body);
  const faults = (body?: unknown, method = "POST", apiKey = key) =>
    call(method, `${base}/accounts/${accountId}/faults`, body, apiKey);
  const bookOne = async () => {
    const created = await api("POST", "/customer-invoices", {
      customer_id: 101,
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    });
    const number = created.json.customer_invoice.number as string;
    await api("POST", `/customer-invoices/${number}/book`);
    return number;
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    sandbox = createRackbeatSandbox({
      db: async () => t.db,
      webhooks: { retryDelaysMs: [20], timeoutMs: 2_000 },
    });
    server = await serve(sandbox);
    receiver = await serve(async (request) => {
      received.push(await request.text());
      return new Response(null, { status: 202 });
    });
    base = `${server.url}/sandbox/rackbeat`;
    const account = await (await fetch(`${base}/accounts`, { method: "POST" })).json();
    ({ apiKey: key, accountId } = account);
  });
  afterAll(async () => {
    await sandbox?.idle();
    await receiver?.close();
    await server?.close();
    await t?.close();
  });

  it("refuses fault changes without the account's key, and unknown fault names", async () => {
    expect((await faults({ dropWebhooks: 0.3 }, "POST", "wrong")).status).toBe(401);
    const bad = await faults({ dropWebhooks: 2 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors)).toEqual(["dropWebhooks"]);
    expect((await faults({ nonsense: true })).status).toBe(422);
  });

  it("drops a share of webhook deliveries for good", async () => {
    await api("POST", "/webhooks", { event: "invoice.booked", url: `${receiver.url}/hook` });
    expect((await faults({ dropWebhooks: 1 })).json.faults.dropWebhooks).toBe(1);
    const number = await bookOne();
    await sandbox.idle();
    expect(received).toHaveLength(0);
    const deliveries = (await api("GET", "/webhook-deliveries")).json.webhook_deliveries;
    expect(deliveries[0]).toMatchObject({ key: number, status: "dropped", attempts: 0 });
    await faults(undefined, "DELETE");
    await bookOne();
    await sandbox.idle();
    expect(received).toHaveLength(1);
  });

  it("fires the configured invoice event name", async () => {
    await faults({ invoiceEvent: "customer_invoice.booked" });
    await bookOne();
    await sandbox.idle();
    expect(received).toHaveLength(1);
    await api("POST", "/webhooks", { event: "customer_invoice.booked", url: `${receiver.url}/new` });
    await bookOne();
    await sandbox.idle();
    expect(received).toHaveLength(2);
    await faults(undefined, "DELETE");
  });

  it("deactivates webhooks and reports failures since the last success", async () => {
    await faults({ deactivateWebhooks: true });
    const hooks = (await api("GET", "/webhooks")).json.webhooks;
    expect(hooks.every((h: { is_active: boolean }) => !h.is_active)).toBe(true);
    expect(hooks[0].failures_since_last_success).toBe(0);
  });

  it("lists booked invoices by booking time, newest first, since a time, paginated", async () => {
    const unbooked = (
      await api("POST", "/customer-invoices", {
        customer_id: 101,
        lines: [{ child_id: "KAF-100", quantity: 1 }],
      })
    ).json.customer_invoice.number;
    const all = await api("GET", "/customer-invoices?is_booked=true&sort=-booked_at&limit=2");
    expect(all.status).toBe(206);
    expect(all.json.total).toBe(4);
    const numbers = all.json.customer_invoices.map((i: { number: string }) => i.number);
    expect(numbers).not.toContain(unbooked);
    const times = all.json.customer_invoices.map((i: { booked_at: string }) => Date.parse(i.booked_at));
    expect(times[0]).toBeGreaterThanOrEqual(times[1]);
    const future = await api(
      "GET",
      `/customer-invoices?is_booked=true&booked_since=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(future.json.total).toBe(0);
    const invalid = await api("GET", "/customer-invoices?booked_since=yesterday");
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.json.errors)).toEqual(["booked_since"]);
  });

  it("answers minimal shapes when asked", async () => {
    await faults({ minimalShapes: true });
    const invoice = (await api("GET", "/customer-invoices?is_booked=true&limit=1")).json.customer_invoices[0];
    expect(invoice.date).toBeUndefined();
    expect(invoice.project).toBeUndefined();
    expect(invoice.customer.vat_zone).toBeUndefined();
    expect(invoice.customer.group).toBeUndefined();
    expect((await api("GET", "/products/KAF-100")).json.product.unit).toEqual({ name: expect.any(String) });
    await faults(undefined, "DELETE");
    expect((await api("GET", "/customers/101")).json.customer.vat_zone).toBe(1);
  });
});
