import { afterEach, describe, expect, it } from "vitest";
import { serve, type TestServer } from "@/test/support/http";
import { EconomicClient } from "./client";
import { EconomicError } from "./errors";
import { eq } from "./filter";
import type { CallInfo, EconomicClientConfig } from "./http";

/*
 * Retry and error behaviour over real HTTP: local handlers play e-conomic's failure modes, the
 * client's wait is injected so nothing sleeps, and attempt counts come from the server side.
 */

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

interface Harness {
  client: EconomicClient;
  calls: CallInfo[];
  waits: number[];
  hits: () => number;
  requests: Request[];
}

async function harness(
  handler: (request: Request, hit: number) => Promise<Response> | Response,
  config: Partial<EconomicClientConfig> = {},
): Promise<Harness> {
  let count = 0;
  const requests: Request[] = [];
  const server = await serve(async (request) => {
    count++;
    requests.push(request);
    return handler(request, count);
  });
  servers.push(server);
  const calls: CallInfo[] = [];
  const waits: number[] = [];
  const client = new EconomicClient({
    restBase: server.url,
    productsBase: `${server.url}/productsapi/v1.1.0`,
    projectsBase: `${server.url}/projectsapi/v1.1.0`,
    appSecretToken: "app-secret",
    agreementGrantToken: "grant",
    timeoutMs: 2_000,
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100, maxElapsedMs: 60_000 },
    onCall: (info) => calls.push(info),
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...config,
  });
  return { client, calls, waits, hits: () => count, requests };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

const self = { agreementNumber: 4711, company: { name: "Demo ApS" }, somethingNew: { x: 1 } };

const draftInput = {
  date: "2026-01-15",
  currency: "DKK",
  customer: { customerNumber: 1 },
  paymentTerms: { paymentTermsNumber: 1 },
  layout: { layoutNumber: 19 },
  recipient: { name: "Kunde A/S", vatZone: { vatZoneNumber: 1 } },
  lines: [{ product: { productNumber: "P1" }, description: "x", quantity: 1, unitNetPrice: 10.123 }],
};

const dropConnection = () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.error(new Error("connection lost"));
      },
    }),
  );

async function failure(promise: Promise<unknown>): Promise<EconomicError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EconomicError);
  return error as EconomicError;
}

describe("e-conomic client over HTTP", () => {
  it("sends the tokens and parses a loose response", async () => {
    const h = await harness(() => json(self));
    const result = await h.client.self();
    expect(result.agreementNumber).toBe(4711);
    expect(result.somethingNew).toEqual({ x: 1 });
    expect(h.requests[0]?.headers.get("x-appsecrettoken")).toBe("app-secret");
    expect(h.requests[0]?.headers.get("x-agreementgranttoken")).toBe("grant");
    expect(h.calls).toMatchObject([{ method: "GET", path: "/self", status: 200, attempt: 1 }]);
  });

  it("retries a GET answered 500 twice, then succeeds", async () => {
    const h = await harness((_, hit) => (hit <= 2 ? json({ message: "oops" }, 500) : json(self)));
    await expect(h.client.self()).resolves.toMatchObject({ agreementNumber: 4711 });
    expect(h.hits()).toBe(3);
    expect(h.calls.map((c) => [c.attempt, c.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(h.waits).toEqual([5, 10]);
  });

  it("does not retry a POST after a 500 by default, and says it may have committed", async () => {
    const h = await harness(() => json({ message: "oops", errorCode: "E00500", logId: "L1" }, 500));
    const error = await failure(h.client.draftInvoices.create({ ...draftInput, lines: [] }));
    expect(h.hits()).toBe(1);
    expect(error).toMatchObject({ status: 500, errorCode: "E00500", logId: "L1", mayHaveCommitted: true });
    expect(error.attempts).toBe(1);
  });

  it("retries a POST after 500s when retryAmbiguous is set for the call", async () => {
    const h = await harness((_, hit) =>
      hit <= 2 ? json({ message: "oops" }, 500) : json({ ...draftInput, draftInvoiceNumber: 9 }, 201),
    );
    const draft = await h.client.draftInvoices.create(draftInput, { retryAmbiguous: true });
    expect(draft.draftInvoiceNumber).toBe(9);
    expect(h.hits()).toBe(3);
  });

  it("honours Retry-After on 429, also for POST", async () => {
    const h = await harness((_, hit) =>
      hit === 1
        ? json({ message: "Too many requests" }, 429, { "Retry-After": "2" })
        : json({ ...draftInput, draftInvoiceNumber: 3 }, 201),
    );
    await expect(h.client.draftInvoices.create(draftInput)).resolves.toMatchObject({ draftInvoiceNumber: 3 });
    expect(h.hits()).toBe(2);
    expect(h.waits).toEqual([2_000]);
  });

  it("gives up when Retry-After exceeds the time budget", async () => {
    const h = await harness(() => json({ message: "Too many requests" }, 429, { "Retry-After": "120" }));
    const error = await failure(h.client.self());
    expect(h.hits()).toBe(1);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000, mayHaveCommitted: false });
  });

  it("times out a hanging GET and retries it up to the attempt cap", async () => {
    const h = await harness(() => new Promise<Response>(() => {}), { timeoutMs: 150 });
    const error = await failure(h.client.self());
    expect(error.kind).toBe("timeout");
    expect(error.mayHaveCommitted).toBe(false);
    expect(h.hits()).toBe(4);
    expect(error.attempts).toBe(4);
    expect(h.calls.every((c) => c.status === undefined && c.error?.kind === "timeout")).toBe(true);
  });

  it("does not retry a timed-out POST and flags it as possibly committed", async () => {
    const h = await harness(() => new Promise<Response>(() => {}), { timeoutMs: 150 });
    const error = await failure(h.client.bookedInvoices.book({ draftInvoiceNumber: 1 }));
    expect(error).toMatchObject({ kind: "timeout", mayHaveCommitted: true, method: "POST" });
    expect(h.hits()).toBe(1);
  });

  it("retries a GET whose connection drops, then succeeds", async () => {
    const h = await harness((_, hit) => (hit <= 2 ? dropConnection() : json(self)));
    await expect(h.client.self()).resolves.toMatchObject({ agreementNumber: 4711 });
    expect(h.hits()).toBe(3);
    expect(h.calls[0]?.error?.kind).toBe("network");
  });

  it("does not retry a POST whose connection drops mid-response", async () => {
    const h = await harness(() => dropConnection());
    const error = await failure(h.client.customers.create(customerInput));
    expect(error).toMatchObject({ kind: "network", mayHaveCommitted: true });
    expect(h.hits()).toBe(1);
  });

  it("retries a POST when the connection is refused (nothing was sent)", async () => {
    const h = await harness(() => json({}));
    await servers.pop()?.close();
    const error = await failure(h.client.customers.create(customerInput));
    expect(error).toMatchObject({ kind: "network", mayHaveCommitted: false });
    expect(error.attempts).toBe(4);
    expect(h.calls).toHaveLength(4);
  });

  it("retries a DELETE after a 500 and treats the retry's 404 as already deleted", async () => {
    const h = await harness((_, hit) =>
      hit === 1 ? json({ message: "oops" }, 500) : json({ message: "gone" }, 404),
    );
    await expect(h.client.draftInvoices.delete(12)).resolves.toBeUndefined();
    expect(h.hits()).toBe(2);
    const h404 = await harness(() => json({ message: "Not found" }, 404));
    const error = await failure(h404.client.draftInvoices.delete(12));
    expect(error).toMatchObject({ status: 404, attempts: 1 });
  });

  it("maps a 400 validation body to field paths without retrying", async () => {
    const h = await harness(() =>
      json(
        {
          message: "Validation error.",
          developerHint: "Inspect validation errors and correct your request.",
          logId: "abc",
          httpStatusCode: 400,
          errors: {
            customer: {
              errors: [{ errorCode: "E06000", message: "customer does not exist.", value: "987" }],
            },
            lines: [
              {
                arrayIndex: 0,
                unitNetPrice: {
                  errors: [
                    {
                      errorCode: "E04740",
                      message: "unitNetPrice scale cannot be greater then two decimal places.",
                    },
                  ],
                },
              },
            ],
          },
          logTime: "2026-01-01T00:00:00",
        },
        400,
      ),
    );
    const error = await failure(h.client.draftInvoices.create(draftInput));
    expect(h.hits()).toBe(1);
    expect(error).toMatchObject({
      status: 400,
      logId: "abc",
      mayHaveCommitted: false,
      message: "Validation error.",
    });
    expect(error.fieldErrors.map((e) => [e.path, e.errorCode])).toEqual([
      ["customer", "E06000"],
      ["lines[0].unitNetPrice", "E04740"],
    ]);
    expect(error.fieldErrorsByPath()["lines[0].unitNetPrice"]).toHaveLength(1);
  });

  it("rejects an invalid request locally, before any call", async () => {
    const h = await harness(() => json({}));
    const error = await failure(
      h.client.draftInvoices.create({ ...draftInput, date: "15/01/2026", currency: "DANISH" }),
    );
    expect(error.kind).toBe("request");
    expect(error.fieldErrors.map((e) => e.path).sort()).toEqual(["currency", "date"]);
    expect(h.hits()).toBe(0);
  });

  it("reports an unexpected response shape as a response error", async () => {
    const h = await harness(() => json({ company: "no agreement number" }));
    const error = await failure(h.client.self());
    expect(error).toMatchObject({ kind: "response", status: 200 });
    expect(h.hits()).toBe(1);
  });

  it("stops when the caller aborts", async () => {
    const h = await harness(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(h.client.self({ signal: controller.signal }));
    expect(error.kind).toBe("aborted");
    expect(h.hits()).toBe(1);
  });

  it("walks every page with the async iterator, passing filters through", async () => {
    const all = Array.from({ length: 45 }, (_, i) => ({ ...customerInput, customerNumber: i + 1 }));
    const h = await harness((request) => {
      const url = new URL(request.url);
      const skip = Number(url.searchParams.get("skippages"));
      const size = Number(url.searchParams.get("pagesize"));
      return json({
        collection: all.slice(skip * size, skip * size + size),
        pagination: {
          skipPages: skip,
          pageSize: size,
          results: all.length,
          resultsWithoutFilter: all.length,
        },
      });
    });
    const seen: number[] = [];
    for await (const c of h.client.customers.iterate({ pageSize: 20, filter: eq("name", "A (b)") })) {
      seen.push(c.customerNumber);
    }
    expect(seen).toEqual(all.map((c) => c.customerNumber));
    expect(h.hits()).toBe(3);
    const url = new URL(h.requests[2]?.url ?? "");
    expect(url.searchParams.get("filter")).toBe("name$eq:A $(b$)");
    expect(url.searchParams.get("skippages")).toBe("2");
    expect(h.calls.map((c) => c.path)).toEqual(["/customers", "/customers", "/customers"]);
  });

  it("encodes product numbers the e-conomic way and reads PDFs as bytes", async () => {
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff]);
    const h = await harness((request) => {
      const { pathname } = new URL(request.url);
      if (pathname.endsWith("/pdf"))
        return new Response(pdf, { headers: { "Content-Type": "application/pdf" } });
      return json({ productNumber: "A/B 5%", name: "Widget", productGroup: { productGroupNumber: 1 } });
    });
    await expect(h.client.products.get("A/B 5%")).resolves.toMatchObject({ productNumber: "A/B 5%" });
    expect(new URL(h.requests[0]?.url ?? "").pathname).toBe("/products/A_6_B_9_5_3_");
    await expect(h.client.bookedInvoices.pdf(7)).resolves.toEqual(pdf);
    expect(h.requests[1]?.headers.get("accept")).toBe("application/pdf");
  });

  it("creates product groups through the Products API with idempotency keys, then reads them via REST", async () => {
    const h = await harness(async (request) => {
      const { pathname } = new URL(request.url);
      if (request.method === "POST" && pathname.endsWith("/productgroups"))
        return json({ ...(await request.clone().json()), objectVersion: "v1" }, 201);
      if (request.method === "POST") return json(await request.clone().json(), 201);
      if (pathname === "/product-groups/5/sales-accounts")
        return json({
          collection: [{ salesAccount: { accountNumber: 1010 }, vatZone: { vatZoneNumber: 1 } }],
        });
      if (pathname === "/product-groups/5") return json({ productGroupNumber: 5, name: "Varer" });
      return json({}, 404);
    });
    const group = await h.client.productGroups.create({
      productGroupNumber: 5,
      name: "Varer",
      salesAccounts: [
        { vatZoneNumber: 1, accountNumber: 1010 },
        { vatZoneNumber: 2, accountNumber: 1025 },
      ],
    });
    expect(group.productGroupNumber).toBe(5);
    const seen = h.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);
    expect(seen).toEqual([
      "POST /productsapi/v1.1.0/productgroups",
      "GET /product-groups/5/sales-accounts",
      "POST /productsapi/v1.1.0/productgroups/5/zones",
      "GET /product-groups/5",
    ]);
    expect(await h.requests[0]?.json()).toEqual({ id: 5, name: "Varer", domesticAccountId: 1010 });
    expect(await h.requests[2]?.json()).toEqual({ id: 2, accountId: 1025 });
    const groupKey = h.requests[0]?.headers.get("idempotency-key");
    const zoneKey = h.requests[2]?.headers.get("idempotency-key");
    expect(groupKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(zoneKey).not.toBe(groupKey);
    // The same agreement and group give the same key on every attempt, another agreement another.
    const again = await harness(() => json({}, 500), { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    await expect(
      again.client.productGroups.create({
        productGroupNumber: 5,
        name: "Varer",
        salesAccounts: [{ vatZoneNumber: 1, accountNumber: 1010 }],
      }),
    ).rejects.toMatchObject({ status: 500 });
    // Keyed writes are retried even after a 5xx, with the same key.
    expect(again.requests.map((r) => r.headers.get("idempotency-key"))).toEqual([groupKey, groupKey]);
  });

  it("reads the Products API's error model and adopts a group whose id is taken", async () => {
    const h = await harness((request) => {
      const { pathname } = new URL(request.url);
      if (request.method === "POST")
        return json(
          {
            message: "Conflict",
            status: 409,
            errors: [{ code: "DuplicateId", message: "taken", property: "Id" }],
          },
          409,
        );
      if (pathname.endsWith("/sales-accounts"))
        return json({
          collection: [{ salesAccount: { accountNumber: 1010 }, vatZone: { vatZoneNumber: 1 } }],
        });
      return json({ productGroupNumber: 6, name: "Theirs" });
    });
    const group = await h.client.productGroups.create({
      productGroupNumber: 6,
      name: "Ours",
      salesAccounts: [{ vatZoneNumber: 1, accountNumber: 1010 }],
    });
    expect(group.name).toBe("Theirs");

    const refused = await harness(() =>
      json(
        {
          message: "The request is invalid.",
          traceId: "abc",
          errors: [{ code: "UnknownProperty", message: "Unknown property 'number'.", property: "number" }],
        },
        400,
      ),
    );
    const error = await refused.client.productGroups
      .create({
        productGroupNumber: 7,
        name: "X",
        salesAccounts: [{ vatZoneNumber: 1, accountNumber: 1010 }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EconomicError);
    expect(error).toMatchObject({ status: 400, errorCode: "UnknownProperty", logId: "abc" });
    expect((error as EconomicError).fieldErrors).toEqual([
      { path: "number", errorCode: "UnknownProperty", message: "Unknown property 'number'." },
    ]);
  });

  it("refuses a product group without a domestic account before sending", async () => {
    const h = await harness(() => json({}, 500));
    await expect(
      h.client.productGroups.create({
        productGroupNumber: 8,
        name: "X",
        salesAccounts: [{ vatZoneNumber: 2, accountNumber: 1025 }],
      }),
    ).rejects.toMatchObject({ kind: "request" });
    expect(h.hits()).toBe(0);
  });
});

const customerInput = {
  name: "Kunde A/S",
  currency: "DKK",
  customerGroup: { customerGroupNumber: 1 },
  paymentTerms: { paymentTermsNumber: 1 },
  vatZone: { vatZoneNumber: 1 },
};
