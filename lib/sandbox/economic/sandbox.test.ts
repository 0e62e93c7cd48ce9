import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { createEconomicSandbox } from "./handler";
import { insertDocs } from "./store";

/** Response bodies are asserted on as the DOM typing of `Response.json()` hands them over. */
type Json = Awaited<ReturnType<Response["json"]>>;

describe.each(dbKinds)("e-conomic sandbox over HTTP on %s", (kind) => {
  let t: TestDb;
  let server: TestServer;
  let base: string;
  let token: string;
  let agreementNumber: number;

  beforeAll(async () => {
    t = await createTestDb(kind);
    server = await serve(createEconomicSandbox({ db: async () => t.db }));
    base = `${server.url}/sandbox/economic`;
    const a = await newAgreement();
    token = a.agreementGrantToken;
    agreementNumber = a.agreementNumber;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  async function newAgreement(body?: object): Promise<Json> {
    const res = await fetch(`${base}/agreements`, {
      method: "POST",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBe(201);
    return res.json();
  }

  function api(
    path: string,
    init: { method?: string; body?: unknown; grant?: string; headers?: Record<string, string> } = {},
  ) {
    return fetch(`${base}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        "X-AppSecretToken": "sandbox",
        "X-AgreementGrantToken": init.grant ?? token,
        ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  async function ok(path: string, init: Parameters<typeof api>[1] = {}, status = 200): Promise<Json> {
    const res = await api(path, init);
    const body = res.status === 204 ? {} : await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    return body;
  }

  const customer = (n: number, extra: object = {}) => ({
    customerNumber: n,
    name: `Kunde ${n}`,
    currency: "DKK",
    customerGroup: { customerGroupNumber: 1 },
    paymentTerms: { paymentTermsNumber: 1 },
    vatZone: { vatZoneNumber: 1 },
    ...extra,
  });

  const draft = (extra: object = {}) => ({
    date: "2025-03-10",
    currency: "DKK",
    customer: { customerNumber: 7000 },
    paymentTerms: { paymentTermsNumber: 1 },
    layout: { layoutNumber: 19 },
    recipient: { name: "Kunde 7000", vatZone: { vatZoneNumber: 1 } },
    references: { other: "RB-1" },
    lines: [
      {
        product: { productNumber: "P 1/2" },
        description: "Skrue",
        quantity: 3,
        unitNetPrice: 33.33,
        discountPercentage: 10,
      },
      { description: "Fragt", quantity: 1, unitNetPrice: 50 },
    ],
    ...extra,
  });

  it("answers 401 with e-conomic's body for missing or wrong tokens", async () => {
    for (const headers of [{}, { "X-AppSecretToken": "nope", "X-AgreementGrantToken": token }] as Array<
      Record<string, string>
    >) {
      const res = await fetch(`${base}/self`, { headers });
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(Object.keys(body).sort()).toEqual(
        ["developerHint", "errorCode", "httpStatusCode", "logId", "logTime", "message"].sort(),
      );
    }
    expect((await api("/self", { grant: "unknown" })).status).toBe(401);
  });

  it("serves /self and the seeded reference data", async () => {
    const self = await ok("/self");
    expect(self.agreementNumber).toBe(agreementNumber);
    expect(self.company.name).toBe("Sandkasse ApS");
    const zones = await ok("/vat-zones");
    expect(zones.collection.map((z: Json) => z.vatZoneNumber)).toEqual([1, 2, 3, 4]);
    expect(zones.collection[3].enabledForSupplier).toBeUndefined();
    const accounts = await ok("/accounts?pagesize=1000");
    const barred = accounts.collection.find((a: Json) => a.accountNumber === 1090);
    expect(barred.barred).toBe(true);
    expect(accounts.collection.find((a: Json) => a.accountNumber === 1010).barred).toBeUndefined();
    const terms = (await ok("/payment-terms")).collection;
    expect(terms).toHaveLength(4);
    expect(terms[3]).toMatchObject({ paymentTermsNumber: 4, paymentTermsType: "dueDate" });
    expect((await ok("/layouts")).collection[0].self).toBe(`${base}/layouts/19`);
    expect((await ok("/units/2")).name).toBe("kg");
    const group = await ok("/product-groups/1");
    expect(group.salesAccounts).toBe(`${base}/product-groups/1/sales-accounts`);
    const sales = await ok("/product-groups/1/sales-accounts");
    expect(sales.collection).toContainEqual({
      salesAccount: { accountNumber: 1010, self: `${base}/accounts/1010` },
      vatZone: { vatZoneNumber: 1, self: `${base}/vat-zones/1` },
    });
    const projects = await ok("/projectsapi/v1.1.0/Projects");
    expect(projects).toEqual([
      { number: 100, name: "Kontorindretning", customerNumber: 7000, isClosed: false, isBarred: false },
    ]);
  });

  it("answers 404, 405 and 415 in e-conomic's shape", async () => {
    const unknown = await api("/nothing-here");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).httpStatusCode).toBe(404);
    expect((await api("/customers/424242")).status).toBe(404);
    const wrong = await api("/self", { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
    const text = await api("/customers", {
      method: "POST",
      body: "x",
      headers: { "Content-Type": "text/plain" },
    });
    expect(text.status).toBe(415);
  });

  it("creates, reads and updates customers, groups, contacts and products", async () => {
    const c = await ok("/customers", { body: customer(7000, { ean: "5790000000001" }) }, 201);
    expect(c.self).toBe(`${base}/customers/7000`);
    const auto = await ok("/customers", { body: { ...customer(0), customerNumber: undefined } }, 201);
    expect(auto.customerNumber).toBe(7001);
    const dup = await api("/customers", { body: customer(7000) });
    expect(dup.status).toBe(400);
    const put = await ok("/customers/7001", {
      method: "PUT",
      body: customer(7001, { name: "Omdøbt", city: "Århus" }),
    });
    expect(put.name).toBe("Omdøbt");
    expect((await ok("/customers/7001")).city).toBe("Århus");

    const contact = await ok(
      "/customers/7000/contacts",
      { body: { name: "Jens", email: "j@example.com" } },
      201,
    );
    expect(contact.customerContactNumber).toBe(1);
    expect((await ok("/customers/7000/contacts")).collection).toHaveLength(1);
    expect((await ok("/customers/7001/contacts")).collection).toHaveLength(0);
    // The contact becomes the customer's person of attention (EAN invoices need one).
    const withAttention = await ok("/customers/7000", {
      method: "PUT",
      body: customer(7000, { ean: "5790000000001", attention: { customerContactNumber: 1 } }),
    });
    expect(withAttention.attention).toEqual({ customerContactNumber: 1 });
    const othersContact = await api("/customers/7001", {
      method: "PUT",
      body: customer(7001, { attention: { customerContactNumber: 1 } }),
    });
    expect((await othersContact.json()).errors.attention.errors[0].errorCode).toBe("E06000");

    const group = await ok(
      "/customer-groups",
      { body: { customerGroupNumber: 2, name: "Udland", account: { accountNumber: 5610 } } },
      201,
    );
    expect(group.self).toBe(`${base}/customer-groups/2`);
    const badGroup = await (
      await api("/customer-groups", { body: { customerGroupNumber: 3, account: { accountNumber: 1 } } })
    ).json();
    expect(badGroup.errors.account.errors[0]).toMatchObject({
      errorCode: "E06000",
      message: "account does not exist.",
    });

    for (const productNumber of ["P 1/2", "a_b", "50%", "v1.2#+?", "BARRED"]) {
      const res = await api("/products", {
        body: {
          productNumber,
          name: `Vare ${productNumber}`,
          productGroup: { productGroupNumber: 1 },
          salesPrice: 10,
          barred: productNumber === "BARRED",
        },
      });
      expect(res.status).toBe(201);
      const created = await res.json();
      const back = await fetch(created.self, {
        headers: { "X-AppSecretToken": "sandbox", "X-AgreementGrantToken": token },
      });
      expect((await back.json()).productNumber).toBe(productNumber);
    }
    expect((await ok("/products/P_9_1_6_2")).name).toBe("Vare P 1/2");
    expect((await ok("/products/v1_11_2_12__13__10_")).productNumber).toBe("v1.2#+?");
    const filtered = await ok(`/products?filter=${encodeURIComponent("productNumber$eq:v1.2#+?")}`);
    expect(filtered.collection).toHaveLength(1);

    // Product groups are written through the Products API (products-api.test.ts covers it fully).
    const pg = await ok(
      "/productsapi/v1.1.0/productgroups",
      { body: { id: 2, name: "Ydelser", domesticAccountId: 1010 } },
      201,
    );
    expect(pg).toMatchObject({ id: 2, name: "Ydelser", domesticAccountId: 1010 });
    await ok("/productsapi/v1.1.0/productgroups/2/zones", { body: { id: 2, accountId: 1026 } }, 201);
    expect((await ok("/product-groups/2/sales-accounts")).collection).toHaveLength(2);
  });

  it("validates bodies with e-conomic's error format", async () => {
    const missing = await (await api("/customers", { body: { name: "x".repeat(256) } })).json();
    expect(missing.httpStatusCode).toBe(400);
    expect(missing.errors.currency.errors[0].errorCode).toBeDefined();
    expect(missing.errors.name.errors[0].message).toContain("255");
    const nulls = await api("/customers", { body: customer(7100, { email: null }) });
    expect(nulls.status).toBe(400);
    expect((await nulls.json()).errors.email).toBeDefined();

    const res = await api("/invoices/drafts", {
      body: draft({
        customer: { customerNumber: 987 },
        layout: { layoutNumber: 99 },
        lines: [
          { product: { productNumber: "P 1/2" }, description: "a", quantity: 1, unitNetPrice: 1.234 },
          { product: { productNumber: "NOPE" }, description: "b", quantity: 1.005 },
          { product: { productNumber: "P 1/2" }, description: "c" },
        ],
      }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.message).toBe("Validation error.");
    expect(body.errors.customer.errors[0]).toEqual({
      errorCode: "E06000",
      message: "customer does not exist.",
      value: "987",
    });
    expect(body.errors.layout.errors[0].message).toBe("layout does not exist.");
    expect(body.errors.lines[0]).toEqual({
      arrayIndex: 0,
      unitNetPrice: {
        errors: [
          {
            errorCode: "E04740",
            message: "unitNetPrice scale cannot be greater then two decimal places.",
            value: 1.234,
          },
        ],
      },
    });
    expect(body.errors.lines[1].quantity.errors[0].errorCode).toBe("E04740");
    expect(body.errors.lines[1].product.errors[0].message).toBe("product does not exist.");
    expect(body.errors.lines[2].quantity.errors[0].errorCode).toBe("E04730");
    const noRecipient = await (
      await api("/invoices/drafts", {
        body: draft({ recipient: undefined, references: { other: "x".repeat(251) } }),
      })
    ).json();
    expect(noRecipient.errors.recipient).toBeDefined();
    expect(noRecipient.errors.references.other).toBeDefined();
  });

  it("creates drafts with totals, lists them by filter, updates and deletes", async () => {
    const d = await api("/invoices/drafts", { body: draft() });
    expect(d.status).toBe(201);
    const body = await d.json();
    expect(d.headers.get("location")).toBe(body.self);
    expect(body.draftInvoiceNumber).toBe(1);
    expect(body.lines[0].totalNetAmount).toBe(89.99);
    expect(body).toMatchObject({
      netAmount: 139.99,
      vatAmount: 35,
      grossAmount: 174.99,
      dueDate: "2025-03-18",
    });
    expect(body.pdf.download).toBe(`${body.self}/pdf`);

    const export0 = await ok(
      "/invoices/drafts",
      {
        body: draft({
          references: { other: "RB-(2)*" },
          recipient: { name: "EU", vatZone: { vatZoneNumber: 2 } },
        }),
      },
      201,
    );
    expect(export0.vatAmount).toBe(0);
    const byOther = await ok(
      `/invoices/drafts?filter=${encodeURIComponent("references.other$eq:RB-$(2$)$*")}`,
    );
    expect(byOther.collection.map((x: Json) => x.draftInvoiceNumber)).toEqual([2]);
    const like = await ok(
      `/invoices/drafts?filter=${encodeURIComponent("references.other$like:rb-*$or:netAmount$gt:1000")}`,
    );
    expect(like.pagination.results).toBe(2);
    const nested = await ok(
      `/invoices/drafts?filter=${encodeURIComponent("customer.customerNumber$eq:7000$and:recipient.vatZone.vatZoneNumber$ne:1")}`,
    );
    expect(nested.collection).toHaveLength(1);
    const bad = await api("/invoices/drafts?filter=nonsense");
    expect(bad.status).toBe(400);

    const updated = await ok("/invoices/drafts/2", {
      method: "PUT",
      body: draft({ lines: [{ description: "x", quantity: 2, unitNetPrice: 10 }] }),
    });
    expect(updated).toMatchObject({ draftInvoiceNumber: 2, netAmount: 20, grossAmount: 25 });
    expect((await ok("/invoices/drafts/2")).netAmount).toBe(20);
    await ok("/invoices/drafts/2", { method: "DELETE" }, 204);
    expect((await api("/invoices/drafts/2")).status).toBe(404);
    const next = await ok("/invoices/drafts", { body: draft() }, 201);
    expect(next.draftInvoiceNumber).toBe(3);
  });

  it("books drafts with the booking rules and serves the PDF", async () => {
    const d = await ok(
      "/invoices/drafts",
      { body: draft({ references: { other: "RB-book", customerContact: { customerContactNumber: 1 } } }) },
      201,
    );
    const booked = await api("/invoices/booked", {
      body: {
        draftInvoice: { draftInvoiceNumber: d.draftInvoiceNumber },
        bookWithNumber: 5001,
        sendBy: "ean",
      },
    });
    const b = await booked.json();
    expect(booked.status, JSON.stringify(b)).toBe(201);
    expect(booked.headers.get("location")).toBe(`${base}/invoices/booked/5001`);
    expect(b).toMatchObject({
      bookedInvoiceNumber: 5001,
      sentBy: "ean",
      remainder: d.grossAmount,
      netAmount: d.netAmount,
      date: d.date,
      customer: { customerNumber: 7000 },
      references: { other: "RB-book" },
    });
    expect(b.lines).toEqual(d.lines);
    expect((await api(`/invoices/drafts/${d.draftInvoiceNumber}`)).status).toBe(404);
    expect(
      (await ok(`/invoices/booked?filter=${encodeURIComponent("references.other$eq:RB-book")}`)).collection,
    ).toHaveLength(1);

    const d2 = await ok("/invoices/drafts", { body: draft() }, 201);
    const reused = await api("/invoices/booked", {
      body: { draftInvoice: { draftInvoiceNumber: d2.draftInvoiceNumber }, bookWithNumber: 5001 },
    });
    expect(reused.status).toBe(400);
    expect((await reused.json()).errors.bookWithNumber.errors[0].errorCode).toBe("E07400");
    expect((await api(`/invoices/drafts/${d2.draftInvoiceNumber}`)).status).toBe(200);

    const noContact = await (
      await api("/invoices/booked", {
        body: { draftInvoice: { draftInvoiceNumber: d2.draftInvoiceNumber }, sendBy: "ean" },
      })
    ).json();
    expect(noContact.errors.references.customerContact.errors[0].errorCode).toBe("E07421");
    const plain = await ok(
      "/invoices/booked",
      { body: { draftInvoice: { draftInvoiceNumber: d2.draftInvoiceNumber } } },
      201,
    );
    expect(plain.bookedInvoiceNumber).toBe(1);
    expect(plain.sentBy).toBeUndefined();

    const barred = await ok(
      "/invoices/drafts",
      { body: draft({ lines: [{ product: { productNumber: "BARRED" }, description: "x", quantity: 1 }] }) },
      201,
    );
    expect(barred.netAmount).toBe(10);
    const refused = await api("/invoices/booked", {
      body: { draftInvoice: { draftInvoiceNumber: barred.draftInvoiceNumber } },
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.lines[0].product.errors[0].errorCode).toBe("E07410");
    const gone = await api("/invoices/booked", { body: { draftInvoice: { draftInvoiceNumber: 99999 } } });
    expect((await gone.json()).errors.draftInvoice.errors[0].errorCode).toBe("E06000");

    const pdf = await api("/invoices/booked/5001/pdf");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = Buffer.from(await pdf.arrayBuffer()).toString("latin1");
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text).toContain("Faktura nr. 5001");
    expect(text).toContain("Kunde 7000");
  });

  it("numbers concurrent drafts and bookings without gaps or collisions", async () => {
    const other = await newAgreement();
    const grant = other.agreementGrantToken as string;
    await ok("/customers", { grant, body: customer(7000) }, 201);
    const body = draft({ lines: [{ description: "x", quantity: 1, unitNetPrice: 1 }] });
    const drafts = await Promise.all(
      Array.from({ length: 12 }, () => ok("/invoices/drafts", { grant, body }, 201)),
    );
    const numbers = drafts.map((d) => d.draftInvoiceNumber as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const booked = await Promise.all(
      numbers.map((n) =>
        ok("/invoices/booked", { grant, body: { draftInvoice: { draftInvoiceNumber: n } } }, 201),
      ),
    );
    expect(booked.map((b) => b.bookedInvoiceNumber as number).sort((a, b) => a - b)).toEqual(numbers);
  });

  it("checks the EAN preconditions of customer and agreement", async () => {
    const other = await newAgreement({ companyName: "Uden CVR ApS", cvr: "" });
    const grant = other.agreementGrantToken as string;
    await ok("/customers", { grant, body: customer(7000) }, 201);
    await ok("/customers/7000/contacts", { grant, body: { name: "Ane" } }, 201);
    const d = await ok(
      "/invoices/drafts",
      { grant, body: draft({ lines: [], references: { customerContact: { customerContactNumber: 1 } } }) },
      201,
    );
    const res = await (
      await api("/invoices/booked", {
        grant,
        body: { draftInvoice: { draftInvoiceNumber: d.draftInvoiceNumber }, sendBy: "ean" },
      })
    ).json();
    expect(res.errors.customer.errors[0].errorCode).toBe("E07420");
    expect(res.errors.customer.attention.errors[0].errorCode).toBe("E07423");
    expect(res.errors.sendBy.errors[0].errorCode).toBe("E07422");
  });

  it("keeps agreements isolated", async () => {
    const other = await newAgreement();
    const grant = other.agreementGrantToken as string;
    expect((await ok("/customers", { grant })).collection).toHaveLength(0);
    expect((await api("/customers/7000", { grant })).status).toBe(404);
    expect((await api("/invoices/booked/5001", { grant })).status).toBe(404);
    const res = await (await api("/invoices/drafts", { grant, body: draft() })).json();
    expect(res.errors.customer.errors[0].errorCode).toBe("E06000");
  });

  it("pages through 2,500 customers", async () => {
    const other = await newAgreement();
    const grant = other.agreementGrantToken as string;
    await insertDocs(
      t.db,
      other.agreementNumber as number,
      "customer",
      Array.from({ length: 2500 }, (_, i) => ({
        key: String(i + 1),
        sortNumber: i + 1,
        data: { ...customer(i + 1), city: i % 2 ? "Aarhus" : "Odense" },
      })),
    );
    const first = await ok("/customers", { grant });
    expect(first.collection).toHaveLength(20);
    expect(first.pagination).toMatchObject({
      maxPageSizeAllowed: 1000,
      skipPages: 0,
      pageSize: 20,
      results: 2500,
      resultsWithoutFilter: 2500,
    });
    const seen: number[] = [];
    let next: string | undefined = `${base}/customers?pagesize=1000`;
    while (next) {
      const page: Json = await (
        await fetch(next, { headers: { "X-AppSecretToken": "sandbox", "X-AgreementGrantToken": grant } })
      ).json();
      seen.push(...page.collection.map((c: Json) => c.customerNumber));
      next = page.pagination.nextPage;
    }
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    const last = await ok("/customers?skippages=2&pagesize=1000", { grant });
    expect(last.collection).toHaveLength(500);
    expect(last.pagination.lastPage).toContain("skippages=2");
    const filtered = await ok(
      `/customers?pagesize=1000&filter=${encodeURIComponent("city$eq:Aarhus$and:customerNumber$lte:100")}`,
      { grant },
    );
    expect(filtered.pagination).toMatchObject({ results: 50, resultsWithoutFilter: 2500 });
    const inList = await ok(`/customers?filter=${encodeURIComponent("customerNumber$in:[3,5,2000]")}`, {
      grant,
    });
    expect(inList.collection.map((c: Json) => c.customerNumber)).toEqual([3, 5, 2000]);
    expect((await api("/customers?pagesize=1001", { grant })).status).toBe(400);
  });

  describe("fault injection", () => {
    let grant: string;
    const faults = (init: RequestInit = {}) => fetch(`${base}/agreements/${grant}/faults`, init);
    const setPlan = async (rules: unknown) => {
      await faults({ method: "DELETE" });
      const res = await faults({
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(rules),
      });
      expect(res.status).toBe(201);
    };

    beforeAll(async () => {
      grant = (await newAgreement()).agreementGrantToken as string;
      await ok("/customers", { grant, body: customer(7000) }, 201);
      await ok(
        "/products",
        { grant, body: { productNumber: "P 1/2", name: "Skrue", productGroup: { productGroupNumber: 1 } } },
        201,
      );
    });

    it("counts down `times` and leaves other requests alone", async () => {
      await setPlan({ method: "POST", path: "/invoices/drafts", times: 2, respond: 500 });
      expect((await api("/invoices/drafts", { grant })).status).toBe(200);
      expect((await api("/invoices/drafts", { grant, body: draft() })).status).toBe(500);
      expect((await api("/invoices/drafts", { grant, body: draft() })).status).toBe(500);
      expect((await api("/invoices/drafts", { grant, body: draft() })).status).toBe(201);
      const plan = await (await faults()).json();
      expect(plan.rules[0].times).toBe(0);
      expect((await api("/self")).status).toBe(200);
    });

    it("answers 429 with Retry-After", async () => {
      await setPlan([{ path: "/customers", respond: 429, retryAfter: 2, times: 1 }]);
      const res = await api("/customers/7000", { grant });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("2");
      expect((await res.json()).httpStatusCode).toBe(429);
      expect((await api("/customers/7000", { grant })).status).toBe(200);
    });

    it("drops the response after committing the draft", async () => {
      await setPlan({ method: "POST", path: "/invoices/drafts", times: 1, dropResponseAfterCommit: true });
      const before = (await ok("/invoices/drafts", { grant })).pagination.results as number;
      await expect(
        api("/invoices/drafts", { grant, body: draft({ references: { other: "lost" } }) }),
      ).rejects.toThrow();
      const after = await ok(`/invoices/drafts?filter=${encodeURIComponent("references.other$eq:lost")}`, {
        grant,
      });
      expect(after.collection).toHaveLength(1);
      expect((await ok("/invoices/drafts", { grant })).pagination.results).toBe(before + 1);
    });

    it("delays requests", async () => {
      await setPlan({ path: "/self", delayMs: 300, times: 1 });
      const started = Date.now();
      expect((await api("/self", { grant })).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    });

    it("injects random faults at the configured rate, and the plan can be read and cleared", async () => {
      await setPlan({ random: { rate: 1, kinds: ["500"] } });
      expect((await api("/self", { grant })).status).toBe(500);
      await setPlan({ random: { rate: 0, kinds: ["500", "drop"] } });
      expect((await api("/self", { grant })).status).toBe(200);
      const bad = await faults({
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ nope: 1 }),
      });
      expect(bad.status).toBe(400);
      await faults({ method: "DELETE" });
      expect((await (await faults()).json()).rules).toEqual([]);
      expect((await fetch(`${base}/agreements/unknown/faults`)).status).toBe(404);
    });
  });

  it("runs the grant flow", async () => {
    const page = await fetch(
      `${base}/requestaccess?appPublicToken=pub&redirectUrl=${encodeURIComponent("http://app.test/cb?x=1")}`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Godkend");
    expect(html).toContain('<form method="post"');
    expect(
      (await fetch(`${base}/requestaccess?appPublicToken=pub&redirectUrl=javascript:alert(1)`)).status,
    ).toBe(400);
    const res = await fetch(`${base}/requestaccess`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        appPublicToken: "pub",
        redirectUrl: "http://app.test/cb?x=1",
        companyName: "Grant ApS",
      }),
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("x")).toBe("1");
    const granted = location.searchParams.get("token")!;
    expect((await ok("/self", { grant: granted })).company.name).toBe("Grant ApS");
  });
});
