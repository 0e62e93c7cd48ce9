import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "@/lib/sandbox/rackbeat";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { RackbeatClient, type RackbeatClientConfig } from "./client";
import { RackbeatError } from "./errors";
import { rackbeatWebhookBodySchema, verifyRackbeatWebhookToken } from "./webhook";

const consumer = { name: "Rackbeat e-conomic test", contact: "dev@example.dk" };

describe.each(dbKinds)("RackbeatClient against the sandbox on %s", (kind) => {
  let t: TestDb;
  let sandbox: RackbeatSandboxHandler;
  let server: TestServer;
  let apiKey: string;
  let accountId: number;
  let client: RackbeatClient;
  const client$ = (key: string, extra: Partial<RackbeatClientConfig> = {}) =>
    new RackbeatClient({ apiKey: key, consumer, baseUrl: `${server.url}/sandbox/rackbeat/api/`, ...extra });

  beforeAll(async () => {
    t = await createTestDb(kind);
    sandbox = createRackbeatSandbox({ db: async () => t.db });
    server = await serve(sandbox);
    const response = await fetch(`${server.url}/sandbox/rackbeat/accounts`, { method: "POST" });
    ({ apiKey, accountId } = (await response.json()) as { apiKey: string; accountId: number });
    client = client$(apiKey);
  });
  afterAll(async () => {
    await sandbox?.idle();
    await server?.close();
    await t?.close();
  });

  it("gets the account of the key", async () => {
    expect(await client.getSelf()).toMatchObject({ id: accountId, name: expect.any(String) });
  });

  it("gets a customer invoice with customer, lines, order and project, decimals as exact strings", async () => {
    const created = await fetch(`${server.url}/sandbox/rackbeat/api/customer-invoices`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        customer_id: 105,
        date: "2025-06-02",
        order: { number: "7001" },
        project: { number: "5017" },
        lines: [{ child_id: "OST-002", quantity: 1.333, line_price: 12.345678, discount_percentage: 2.5 }],
      }),
    });
    const { number } = ((await created.json()) as { customer_invoice: { number: string } }).customer_invoice;
    const invoice = await client.getCustomerInvoice(number);
    expect(invoice).toMatchObject({
      number,
      customer_id: 105,
      customer: { number: 105, vat_zone: 1, currency: "DKK", group: { number: 2 } },
      order: { number: "7001" },
      project: { number: "5017" },
      is_booked: false,
      currency_rate: "100",
      // 1.333 × 12.345678 × 0.975 = 16.04536905465
      total_subtotal: "16.05",
      total_total: "20.06",
    });
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        child_id: "OST-002",
        child_type: "product",
        quantity: "1.333",
        line_price: "12.345678",
        discount_percentage: "2.5",
        vat_percentage: "25",
      }),
    ]);
    // Unknown fields pass through.
    expect((invoice as Record<string, unknown>).total_vat).toBe(4.01);
  });

  it("gets customers, groups, products (odd numbers) and product groups", async () => {
    expect(await client.getCustomer(102)).toMatchObject({
      ean: "5798000123456",
      their_reference: "Mette Jørgensen",
    });
    expect(await client.getCustomer(104)).toMatchObject({ vat_zone: 3, currency: "USD" });
    expect(await client.getCustomerGroup(4)).toMatchObject({ number: 4, name: "Offentlige kunder" });
    expect(await client.getProduct("KAF-250/EX")).toMatchObject({
      number: "KAF-250/EX",
      sales_price: "54.5",
      group: { number: 1 },
    });
    expect(await client.getProduct("TE LØS 12")).toMatchObject({ unit: "kg", sales_price: "389.123456" });
    expect(await client.getProduct("EMB-KASSE 40x30")).toMatchObject({ sales_price: "12.345678" });
    expect(await client.getProductGroup(2)).toMatchObject({
      number: 2,
      name: "Ost og pålæg",
      vat_domestic: "25",
      vat_eu: "0",
    });
  });

  it("registers, lists and deletes webhooks", async () => {
    const url = "http://127.0.0.1:9/hooks/rackbeat";
    const created = await client.registerWebhook({ event: "invoice.booked", url });
    expect(created.token).toMatch(/^[A-Za-z0-9]{32}$/);
    const again = await client.registerWebhook({ event: "invoice.booked", url });
    expect(again.id).toBe(created.id);
    expect(again.token).toBeUndefined();
    const fresh = await client.registerWebhookWithToken({ event: "invoice.booked", url });
    expect(fresh.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(fresh.token).not.toBe(created.token);
    const listed = await client.listWebhooks();
    expect(listed).toEqual([
      expect.objectContaining({ id: fresh.id, event: "invoice.booked", url, is_active: true }),
    ]);
    await client.deleteWebhook(fresh.id);
    await client.deleteWebhook(fresh.id); // already gone: fine
    expect(await client.listWebhooks()).toEqual([]);
  });

  it("maps 401, 404 and 422 to RackbeatError without retrying", async () => {
    const bad = await client$("wrong-key")
      .getSelf()
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RackbeatError);
    expect(bad).toMatchObject({
      status: 401,
      kind: "http",
      message: "Unauthenticated.",
      attempts: 1,
      isUnauthorized: true,
    });

    const missing = await client.getProduct("NO/SUCH ITEM").catch((e: unknown) => e);
    expect(missing).toMatchObject({
      status: 404,
      isNotFound: true,
      path: "/products/NO%2FSUCH%20ITEM",
      attempts: 1,
    });

    const invalid = await client.registerWebhook({ event: "", url: "not a url" }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 422, attempts: 1 });
    expect((invalid as RackbeatError).fieldErrors).toEqual({
      event: ["The event field is required."],
      url: ["The url must be a valid http(s) URL."],
    });
  });
});

describe("RackbeatClient transport", () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  /** A tiny Rackbeat: answers with `responses` in turn (the last one repeats) and records requests. */
  async function fake(responses: (() => Response | Promise<Response>)[]) {
    const requests: Request[] = [];
    const server = await serve(async (request) => {
      requests.push(request);
      const next = responses[Math.min(requests.length - 1, responses.length - 1)]!;
      return next();
    });
    servers.push(server);
    const sleeps: number[] = [];
    const client = new RackbeatClient({
      apiKey: "secret-key",
      consumer,
      baseUrl: `${server.url}/api`,
      timeoutMs: 300,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    });
    return { client, requests, sleeps };
  }

  const self = () => Response.json({ user_account: { id: 7, name: "Demo", extra: true } });

  it("sends the bearer key and consumer headers, and encodes item numbers", async () => {
    const { client, requests } = await fake([
      () => Response.json({ product: { number: "A-1/2 B", name: "X" } }),
    ]);
    await client.getProduct("A-1/2 B");
    const [request] = requests;
    expect(new URL(request!.url).pathname).toBe("/api/products/A-1%2F2%20B");
    expect(request!.headers.get("authorization")).toBe("Bearer secret-key");
    expect(request!.headers.get("user-agent")).toBe("Rackbeat e-conomic test (dev@example.dk)");
    expect(request!.headers.get("consumer-name")).toBe("Rackbeat e-conomic test");
    expect(request!.headers.get("consumer-contact")).toBe("dev@example.dk");
    expect(request!.headers.get("accept")).toBe("application/json");
  });

  it("retries 429 honouring Retry-After, and 5xx with back-off", async () => {
    const throttled = await fake([
      () =>
        Response.json({ message: "Too Many Attempts." }, { status: 429, headers: { "retry-after": "2" } }),
      () => new Response("bad gateway", { status: 502 }),
      self,
    ]);
    expect(await throttled.client.getSelf()).toEqual({ id: 7, name: "Demo", extra: true });
    expect(throttled.requests).toHaveLength(3);
    expect(throttled.sleeps).toEqual([2000, 1000]);
  });

  it("gives up after the policy's attempts with the last error", async () => {
    const down = await fake([() => Response.json({ message: "Server Error" }, { status: 500 })]);
    const error = await down.client.getSelf().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, message: "Server Error", attempts: 4, isTransient: true });
    expect(down.requests).toHaveLength(4);
  });

  it("retries a time-out and a dropped connection", async () => {
    let calls = 0;
    const slow = await fake([
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(self()), 1_000)),
      self,
    ]);
    expect(await slow.client.getSelf()).toMatchObject({ id: 7 });
    expect(slow.requests).toHaveLength(2);

    const flaky = new RackbeatClient({
      apiKey: "k",
      consumer,
      baseUrl: "http://rackbeat.invalid/api",
      sleep: async () => {},
      fetch: async () => {
        calls++;
        if (calls === 1)
          throw new TypeError("fetch failed", {
            cause: Object.assign(new Error("socket"), { code: "ECONNRESET" }),
          });
        return self();
      },
    });
    expect(await flaky.getSelf()).toMatchObject({ id: 7 });
    expect(calls).toBe(2);
  });

  it("rejects an answer that does not match the schema", async () => {
    const odd = await fake([() => Response.json({ user_account: { name: 3 } })]);
    const error = await odd.client.getSelf().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "response", status: 200, attempts: 1 });
  });
});

describe("webhook body and token", () => {
  it("accepts the key with extra fields", () => {
    expect(
      rackbeatWebhookBodySchema.parse({ key_name: "number", key: "1021", event: "x", data: {} }),
    ).toEqual({
      key_name: "number",
      key: "1021",
      event: "x",
      data: {},
    });
    expect(rackbeatWebhookBodySchema.parse({ key_name: "number", key: 1021 }).key).toBe("1021");
    expect(rackbeatWebhookBodySchema.safeParse({ key_name: "number" }).success).toBe(false);
  });

  it("compares tokens", () => {
    expect(verifyRackbeatWebhookToken("abc", "abc")).toBe(true);
    expect(verifyRackbeatWebhookToken("abd", "abc")).toBe(false);
    expect(verifyRackbeatWebhookToken(null, "abc")).toBe(false);
    expect(verifyRackbeatWebhookToken("abc", "")).toBe(false);
  });
});
