import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "./router";

interface Received {
  headers: Record<string, string>;
  body: string;
  /** is_booked of the invoice as the receiver read it back from the sandbox, during the call. */
  bookedWhenCalled?: boolean;
}

describe.each(dbKinds)("Rackbeat sandbox on %s", (kind) => {
  let t: TestDb;
  let sandbox: RackbeatSandboxHandler;
  let server: TestServer;
  let base: string;
  let key: string;
  let accountId: number;

  const api = async (method: string, path: string, body?: unknown, apiKey = key) => {
    const response = await fetch(`${base}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected loosely
    const json: any = text ? JSON.parse(text) : null;
    return { status: response.status, json };
  };

  const newAccount = async () => {
    const response = await fetch(`${base}/accounts`, { method: "POST" });
    expect(response.status).toBe(201);
    return (await response.json()) as { apiKey: string; accountId: number };
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    sandbox = createRackbeatSandbox({
      db: async () => t.db,
      webhooks: { retryDelaysMs: [50, 100, 150], timeoutMs: 2_000 },
    });
    server = await serve(sandbox);
    base = `${server.url}/sandbox/rackbeat`;
    ({ apiKey: key, accountId } = await newAccount());
  });
  afterAll(async () => {
    await sandbox?.idle();
    await server?.close();
    await t?.close();
  });

  describe("accounts and auth", () => {
    it("creates an account with a key and the seed data", async () => {
      expect(key).toMatch(/^rb_sandbox_/);
      expect(accountId).toBeGreaterThan(0);
      const self = await api("GET", "/self");
      expect(self).toEqual({
        status: 200,
        json: { user_account: { id: accountId, name: expect.any(String) } },
      });

      const customers = (await api("GET", "/customers?limit=100")).json.customers;
      expect(customers.length).toBeGreaterThanOrEqual(5);
      const ean = customers.find((c: { ean: string | null }) => c.ean);
      expect(ean.ean).toMatch(/^\d{13}$/);
      expect(ean.their_reference).toBeTruthy();
      expect(
        customers.some(
          (c: { vat_zone: number; currency: string }) => c.vat_zone === 2 && c.currency === "EUR",
        ),
      ).toBe(true);
      expect(
        customers.some(
          (c: { vat_zone: number; currency: string }) =>
            c.vat_zone === 3 && ["USD", "SEK"].includes(c.currency),
        ),
      ).toBe(true);
      expect(customers[0]).toMatchObject({ group: { number: expect.any(Number), name: expect.any(String) } });

      const projects = (await api("GET", "/projects")).json.projects;
      expect(projects).toHaveLength(1);
      expect(customers.some((c: { number: number }) => c.number === projects[0].customer_id)).toBe(true);

      const products = (await api("GET", "/products?limit=100")).json.products;
      expect(products.length).toBeGreaterThanOrEqual(10);
      expect(new Set(products.map((p: { group: { number: number } }) => p.group.number)).size).toBe(3);
      expect(products.some((p: { unit: string }) => p.unit === "kg")).toBe(true);
      expect(products.some((p: { sales_price: number }) => /\.\d{6}$/.test(String(p.sales_price)))).toBe(
        true,
      );
      expect((await api("GET", "/customer-groups")).json.total).toBeGreaterThanOrEqual(3);
      expect((await api("GET", "/product-groups")).json.total).toBe(3);
    });

    it("answers 401 without or with a wrong key", async () => {
      expect(await api("GET", "/self", undefined, "nope")).toEqual({
        status: 401,
        json: { message: "Unauthenticated." },
      });
      const response = await fetch(`${base}/api/self`);
      expect(response.status).toBe(401);
    });

    it("keeps accounts apart", async () => {
      const other = await newAccount();
      expect(other.apiKey).not.toBe(key);
      await api("POST", "/customer-groups", { number: 77, name: "Kun i den anden" }, other.apiKey);
      expect((await api("GET", "/customer-groups/77")).status).toBe(404);
    });
  });

  describe("master data", () => {
    it("creates, gets and lists customer groups", async () => {
      const created = await api("POST", "/customer-groups", { name: "Grossister" });
      expect(created.status).toBe(201);
      expect(created.json.customer_group).toMatchObject({ number: 5, name: "Grossister" });
      expect((await api("GET", "/customer-groups/5")).json.customer_group.name).toBe("Grossister");
      expect((await api("POST", "/customer-groups", { number: 5, name: "Igen" })).json).toEqual({
        message: "The number has already been taken.",
        errors: { number: ["The number has already been taken."] },
      });
    });

    it("creates and gets a customer with group and payment terms", async () => {
      const created = await api("POST", "/customers", {
        number: 987654321,
        company_name: "Smørrebrødshuset I/S",
        company_vat: "12345678",
        group: { number: 2 },
        payment_terms: { number: 1 },
        address_city: "Roskilde",
        unknown_field: "ignored",
      });
      expect(created.status).toBe(201);
      const got = await api("GET", "/customers/987654321");
      expect(got.json.customer).toMatchObject({
        number: 987654321,
        company_name: "Smørrebrødshuset I/S",
        group: { number: 2, name: "Erhvervskunder" },
        payment_terms: { number: 1, name: "Netto 8 dage" },
        vat_zone: 1,
        currency: "DKK",
      });
    });

    it("answers 422 for unknown references and invalid fields", async () => {
      const bad = await api("POST", "/customers", { company_name: "X", group: { number: 999 } });
      expect(bad.status).toBe(422);
      expect(bad.json.errors).toEqual({ "group.number": ["The selected group number is invalid."] });
      const invalid = await api("POST", "/customers", { group: { number: 1 }, ean: "123", vat_zone: 9 });
      expect(invalid.status).toBe(422);
      expect(Object.keys(invalid.json.errors).sort()).toEqual(["company_name", "ean", "vat_zone"]);
      expect(
        (await api("POST", "/products", { number: "X", name: "X", group: { number: 42 } })).json.errors,
      ).toEqual({
        "group.number": ["The selected group number is invalid."],
      });
    });

    it("answers 404 for unknown objects and routes", async () => {
      expect((await api("GET", "/customers/424242")).status).toBe(404);
      expect((await api("GET", "/products/NOPE")).json).toEqual({ message: "Product not found." });
      expect((await api("GET", "/customer-invoices/999999")).status).toBe(404);
      expect((await api("GET", "/nothing-here")).status).toBe(404);
    });

    it("handles product numbers with dashes, slashes and spaces", async () => {
      for (const number of ["A-1/2 B", "100%/ren", "Ø-VARE 7"]) {
        const created = await api("POST", "/products", {
          number,
          name: `Vare ${number}`,
          group: { number: 1 },
          sales_price: 10.5,
        });
        expect(created.status).toBe(201);
        const got = await api("GET", `/products/${encodeURIComponent(number)}`);
        expect(got.status).toBe(200);
        expect(got.json.product).toMatchObject({
          number,
          sales_price: 10.5,
          group: { number: 1, name: "Kaffe og te" },
        });
      }
      expect(
        (await api("GET", `/products/${encodeURIComponent("KAF-250/EX")}`)).json.product.sales_price,
      ).toBe(54.5);
    });

    it("creates product groups with VAT per zone", async () => {
      const created = await api("POST", "/product-groups", { name: "Vin", vat_domestic: 25, vat_eu: "0" });
      expect(created.json.product_group).toMatchObject({
        number: 4,
        name: "Vin",
        vat_domestic: 25,
        vat_eu: 0,
      });
      expect((await api("GET", "/product-groups/4")).json.product_group.name).toBe("Vin");
    });

    it("paginates lists", async () => {
      const first = await api("GET", "/products?page=1&limit=4");
      expect(first.status).toBe(206);
      expect(first.json).toMatchObject({ page: 1, limit: 4, total: 13, pages: 4 });
      expect(first.json.products).toHaveLength(4);
      const last = await api("GET", "/products?page=4&limit=4");
      expect(last.status).toBe(200);
      expect(last.json.products).toHaveLength(1);
      const all = await api("GET", "/products?limit=250");
      expect(all.json.products.map((p: { number: string }) => p.number)).toEqual(
        [...first.json.products, ...(await api("GET", "/products?page=2&limit=4")).json.products]
          .map((p) => p.number)
          .concat(all.json.products.slice(8).map((p: { number: string }) => p.number)),
      );
    });
  });

  describe("customer invoices", () => {
    it("creates a draft with an assigned number, exact totals and everything embedded", async () => {
      const created = await api("POST", "/customer-invoices", {
        customer_id: 105,
        date: "2025-03-14",
        heading: "Levering uge 11",
        order: { number: "5001" },
        project: { number: "5017" },
        lines: [
          { child_id: "OST-002", quantity: 1.333, line_price: 12.345678 },
          { child_id: "EMB-POSE/L", quantity: 3, line_price: "0.335", discount_percentage: 10 },
        ],
      });
      expect(created.status).toBe(201);
      const invoice = created.json.customer_invoice;
      expect(invoice).toMatchObject({
        number: "1001",
        customer_id: 105,
        customer: { number: 105, company_name: "Tømrerfirmaet Hansen & Søn ApS" },
        order: { number: "5001" },
        order_id: expect.any(Number),
        project: { number: "5017" },
        currency: "DKK",
        currency_rate: 100,
        date: "2025-03-14",
        due_date: "2025-03-22",
        is_booked: false,
        total_subtotal: 17.36,
        total_total: 21.7,
        address_name: "Tømrerfirmaet Hansen & Søn ApS",
        address_city: "Vejle",
      });
      expect(invoice.lines).toEqual([
        expect.objectContaining({
          child_id: "OST-002",
          child_type: "product",
          name: "Gammel Knas, 52 uger",
          quantity: 1.333,
          line_price: 12.345678,
          discount_percentage: 0,
          vat_percentage: 25,
        }),
        expect.objectContaining({
          child_id: "EMB-POSE/L",
          quantity: 3,
          line_price: 0.335,
          discount_percentage: 10,
          vat_percentage: 25,
        }),
      ]);
      const got = await api("GET", "/customer-invoices/1001?expand=customer,lines,order,project");
      expect(got.json.customer_invoice).toEqual(invoice);
      const next = await api("POST", "/customer-invoices", {
        customer_id: 101,
        lines: [{ child_id: "GAVE-1", quantity: 2 }],
      });
      expect(next.json.customer_invoice).toMatchObject({
        number: "1002",
        total_subtotal: 48,
        total_total: 60,
      });
    });

    it("uses the customer's currency and zone VAT", async () => {
      const eu = await api("POST", "/customer-invoices", {
        customer_id: 103,
        lines: [{ child_id: "KAF-100", quantity: 1 }],
      });
      expect(eu.json.customer_invoice).toMatchObject({
        currency: "EUR",
        total_subtotal: 149.95,
        total_total: 149.95,
      });
      expect(eu.json.customer_invoice.lines[0].vat_percentage).toBe(0);
      const ean = await api("POST", "/customer-invoices", {
        customer_id: 102,
        lines: [{ child_id: "SIL-5", quantity: 1 }],
      });
      expect(ean.json.customer_invoice.customer).toMatchObject({
        ean: "5798000123456",
        their_reference: "Mette Jørgensen",
      });
    });

    it("answers 422 with Rackbeat's error body for unknown references", async () => {
      const bad = await api("POST", "/customer-invoices", {
        customer_id: 101,
        project: { number: "nope" },
        lines: [{ child_id: "NOPE", quantity: 1 }],
      });
      expect(bad.status).toBe(422);
      expect(bad.json.errors).toEqual({
        "project.number": ["The selected project number is invalid."],
        "lines.0.child_id": ["The selected child id is invalid."],
        "lines.0.line_price": ["The line price field is required."],
        "lines.0.name": ["The name field is required."],
      });
      expect(bad.json.message).toMatch(/^The selected project number is invalid\. \(and 3 more errors\)$/);
      expect(
        (
          await api("POST", "/customer-invoices", {
            customer_id: 4242,
            lines: [{ child_id: "GAVE-1", quantity: 1 }],
          })
        ).json.errors,
      ).toEqual({
        customer_id: ["The selected customer id is invalid."],
      });
      const noLines = await api("POST", "/customer-invoices", { customer_id: 101, lines: [] });
      expect(noLines.json.errors).toEqual({ lines: ["The lines field is required."] });
      const taken = await api("POST", "/customer-invoices", {
        number: "1001",
        customer_id: 101,
        lines: [{ child_id: "GAVE-1", quantity: 1 }],
      });
      expect(taken.json.errors).toEqual({ number: ["The number has already been taken."] });
    });

    it("lists invoices and books a draft once", async () => {
      const list = await api("GET", "/customer-invoices?limit=2");
      expect(list.json).toMatchObject({ total: 4, pages: 2, page: 1, limit: 2 });
      const booked = await api("POST", "/customer-invoices/1002/book");
      expect(booked.status).toBe(200);
      expect(booked.json.customer_invoice).toMatchObject({ number: "1002", is_booked: true });
      const again = await api("POST", "/customer-invoices/1002/book");
      expect(again.status).toBe(422);
      expect(again.json).toEqual({
        message: "The invoice is already booked.",
        errors: { number: ["The invoice is already booked."] },
      });
      expect((await api("POST", "/customer-invoices/9999/book")).status).toBe(404);
      expect((await api("GET", "/customer-invoices?is_booked=true")).json.total).toBe(1);
    });
  });

  describe("webhooks", () => {
    let receiver: TestServer;
    const received: Received[] = [];
    let failing = 0;
    let failingReceiver: TestServer;

    beforeAll(async () => {
      receiver = await serve(async (request) => {
        const body = await request.text();
        const entry: Received = { headers: Object.fromEntries(request.headers), body };
        const key = (JSON.parse(body) as { key: string }).key;
        entry.bookedWhenCalled = (
          await api("GET", `/customer-invoices/${key}`)
        ).json.customer_invoice.is_booked;
        received.push(entry);
        return new Response(null, { status: 202 });
      });
      failingReceiver = await serve(async () => {
        failing++;
        return new Response("nope", { status: 503 });
      });
    });
    afterAll(async () => {
      await sandbox.idle();
      await receiver?.close();
      await failingReceiver?.close();
    });

    const draft = async () =>
      (
        await api("POST", "/customer-invoices", {
          customer_id: 101,
          lines: [{ child_id: "KAF-100", quantity: 2 }],
        })
      ).json.customer_invoice.number as string;

    it("registers a webhook with its token once; re-registering updates it", async () => {
      const first = await api("POST", "/webhooks", { event: "invoice.booked", url: `${receiver.url}/hook` });
      expect(first.status).toBe(201);
      expect(first.json.webhook).toMatchObject({
        id: expect.any(Number),
        event: "invoice.booked",
        is_active: true,
      });
      expect(first.json.webhook.token).toMatch(/^[A-Za-z0-9]{32}$/);
      const again = await api("POST", "/webhooks", { event: "invoice.booked", url: `${receiver.url}/hook` });
      expect(again.status).toBe(200);
      expect(again.json.webhook.id).toBe(first.json.webhook.id);
      expect(again.json.webhook.token).toBeUndefined();
      const listed = await api("GET", "/webhooks");
      expect(listed.json.webhooks).toHaveLength(1);
      expect(listed.json.webhooks[0].token).toBeUndefined();
      expect((await api("POST", "/webhooks", { event: "invoice.booked", url: "ftp://x" })).status).toBe(422);
    });

    it("delivers a real webhook after the booking commits, with the exact headers and body", async () => {
      const token = (await api("POST", "/webhooks", { event: "other.event", url: `${receiver.url}/other` }))
        .json.webhook.token;
      expect(token).toHaveLength(32);
      const hooks = (await api("GET", "/webhooks")).json.webhooks;
      const main = hooks.find((h: { event: string }) => h.event === "invoice.booked");
      const number = await draft();
      await api("POST", `/customer-invoices/${number}/book`);
      await sandbox.idle();
      expect(received).toHaveLength(1);
      const [call] = received;
      expect(JSON.parse(call!.body)).toEqual({ key_name: "number", key: number });
      expect(call!.body).toBe(`{"key_name":"number","key":"${number}"}`);
      expect(call!.headers).toMatchObject({
        "rackbeat-webhook-event": "invoice.booked",
        "rackbeat-account-id": String(accountId),
        "user-agent": "Rackbeat Webhook",
        "content-type": "application/json",
      });
      expect(call!.headers["rackbeat-webhook-token"]).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(call!.bookedWhenCalled).toBe(true);
      const deliveries = (await api("GET", "/webhook-deliveries")).json.webhook_deliveries;
      expect(deliveries[0]).toMatchObject({
        event: "invoice.booked",
        key: number,
        url: main.url,
        attempts: 1,
        response_status: 202,
      });
    });

    it("does not deliver with suppress_webhooks, nor for deleted webhooks", async () => {
      const number = await draft();
      await api("POST", `/customer-invoices/${number}/book`, { suppress_webhooks: true });
      await sandbox.idle();
      expect(received).toHaveLength(1);
    });

    it("retries a failing receiver and records every attempt; lists newest first", async () => {
      const hook = (
        await api("POST", "/webhooks", { event: "invoice.booked", url: `${failingReceiver.url}/hook` })
      ).json.webhook;
      const number = await draft();
      await api("POST", `/customer-invoices/${number}/book`);
      await sandbox.idle();
      expect(failing).toBe(4);
      expect(received).toHaveLength(2);
      const deliveries = (await api("GET", "/webhook-deliveries")).json.webhook_deliveries;
      const ids = deliveries.map((d: { id: number }) => d.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const failed = deliveries.find((d: { url: string }) => d.url === hook.url);
      expect(failed).toMatchObject({ key: number, attempts: 4, response_status: 503, status: "failed" });
      const detail = (await api("GET", `/webhook-deliveries/${failed.id}`)).json.webhook_delivery;
      expect(detail.attempt_log).toHaveLength(4);
      expect(detail.attempt_log.every((a: { response_status: number }) => a.response_status === 503)).toBe(
        true,
      );
      expect((await api("DELETE", `/webhooks/${hook.id}`)).status).toBe(204);
      expect((await api("DELETE", `/webhooks/${hook.id}`)).status).toBe(404);
    });

    it("redelivers a delivery exactly as it was", async () => {
      const deliveries = (await api("GET", "/webhook-deliveries")).json.webhook_deliveries;
      const ok = deliveries.find((d: { response_status: number }) => d.response_status === 202);
      const original = received.find((r) => JSON.parse(r.body).key === ok.key)!;
      const result = await api("POST", `/webhook-deliveries/${ok.id}/redeliver`);
      expect(result.status).toBe(200);
      expect(result.json.webhook_delivery).toMatchObject({
        id: ok.id,
        attempts: ok.attempts + 1,
        response_status: 202,
      });
      expect(result.json.webhook_delivery.result).toMatchObject({ ok: true, response_status: 202 });
      const again = received.at(-1)!;
      expect(again.body).toBe(original.body);
      const strip = (h: Record<string, string>) => {
        const { connection, "content-length": _, host, ...rest } = h;
        return rest;
      };
      expect(strip(again.headers)).toEqual(strip(original.headers));
      expect((await api("POST", "/webhook-deliveries/999999/redeliver")).status).toBe(404);
    });

    it("delivers many bookings concurrently", async () => {
      const before = received.length;
      const numbers: string[] = [];
      for (let i = 0; i < 25; i++) numbers.push(await draft());
      await Promise.all(numbers.map((n) => api("POST", `/customer-invoices/${n}/book`)));
      await sandbox.idle();
      const keys = received.slice(before).map((r) => JSON.parse(r.body).key);
      expect(keys.sort()).toEqual([...numbers].sort());
      expect(received.slice(before).every((r) => r.bookedWhenCalled)).toBe(true);
    });
  });
});
