import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "./router";
import { rbWebhooks } from "./schema";
import { newWebhookToken } from "./webhooks";

/**
 * Finding 4: anyone may create a sandbox account, so the sandbox must not be a way to make this
 * server post (with a webhook token) to any URL, nor to create accounts without limit.
 */
describe.each(dbKinds)("Rackbeat sandbox on %s: webhook origin and admin rate limit", (kind) => {
  const APP = "http://app.example:3000";
  let t: TestDb;
  let sandbox: RackbeatSandboxHandler;
  let server: TestServer;
  let base: string;
  const sentTo: string[] = [];
  let client = "203.0.113.1";

  beforeAll(async () => {
    t = await createTestDb(kind);
    sandbox = createRackbeatSandbox({
      db: async () => t.db,
      webhookOrigin: APP,
      adminRateLimit: { max: 3, windowMs: 60_000, clientKey: () => client },
      webhooks: { retryDelaysMs: [] },
      fetch: async (input) => {
        sentTo.push(String(input instanceof Request ? input.url : input));
        return new Response(null, { status: 202 });
      },
    });
    server = await serve(sandbox);
    base = `${server.url}/sandbox/rackbeat`;
  });
  afterAll(async () => {
    await sandbox?.idle();
    await server?.close();
    await t?.close();
  });

  const newAccount = () => fetch(`${base}/accounts`, { method: "POST" });
  const api = async (apiKey: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected loosely
    return { status: response.status, json: (await response.json().catch(() => null)) as any };
  };

  it("registers webhooks for the app's origin only, and delivers to nothing else", async () => {
    const { apiKey, accountId } = (await (await newAccount()).json()) as {
      apiKey: string;
      accountId: number;
    };
    for (const url of [
      "http://169.254.169.254/latest/meta-data",
      "http://app.example:3001/api/rackbeat/webhooks",
      "https://app.example:3000/api/rackbeat/webhooks",
      "http://evil.example/?http://app.example:3000",
    ]) {
      const refused = await api(apiKey, "POST", "/webhooks", { event: "invoice.booked", url });
      expect(refused.status, url).toBe(422);
      expect(refused.json.errors.url[0]).toContain(APP);
    }
    const ok = await api(apiKey, "POST", "/webhooks", {
      event: "invoice.booked",
      url: `${APP}/api/rackbeat/webhooks`,
    });
    expect(ok.status).toBe(201);
    // A foreign webhook already in the database (registered before the restriction) is skipped.
    await t.db.insert(rbWebhooks).values({
      accountId,
      event: "invoice.booked",
      url: "http://169.254.169.254/hook",
      token: newWebhookToken(),
    });
    const drafted = await api(apiKey, "POST", "/customer-invoices", {
      customer_id: 101,
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    });
    expect(drafted.status).toBe(201);
    const number = drafted.json.customer_invoice.number as string;
    expect((await api(apiKey, "POST", `/customer-invoices/${number}/book`)).status).toBe(200);
    await sandbox.idle();
    expect(sentTo).toEqual([`${APP}/api/rackbeat/webhooks`]);
  });

  it("limits account creation per client and answers 429 with Retry-After", async () => {
    client = "198.51.100.9";
    for (let i = 0; i < 3; i++) expect((await newAccount()).status).toBe(201);
    const limited = await newAccount();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client is not affected.
    client = "198.51.100.10";
    expect((await newAccount()).status).toBe(201);
  });
});
