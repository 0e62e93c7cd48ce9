import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEconomicSandbox } from "@/lib/sandbox/economic/handler";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { EconomicClient } from "./client";
import { EconomicError } from "./errors";
import { and, eq, like } from "./filter";
import type { CallInfo, EconomicClientConfig } from "./http";
import type { EconomicCustomerInput, EconomicDraftInvoiceInput } from "./schemas";

/*
 * The client against the e-conomic sandbox over real HTTP, on every database kind: each endpoint,
 * pagination, encoded product numbers, validation errors and retries under a fault plan.
 */

const customerInput = (name: string): EconomicCustomerInput => ({
  name,
  currency: "DKK",
  customerGroup: { customerGroupNumber: 1 },
  paymentTerms: { paymentTermsNumber: 1 },
  vatZone: { vatZoneNumber: 1 },
});

describe.each(dbKinds)("e-conomic client against the sandbox on %s", (kind) => {
  let t: TestDb;
  let server: TestServer;
  let base: string;

  beforeAll(async () => {
    t = await createTestDb(kind);
    server = await serve(createEconomicSandbox({ db: async () => t.db }));
    base = `${server.url}/sandbox/economic`;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  async function newAgreement(): Promise<string> {
    const res = await fetch(`${base}/agreements`, { method: "POST" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { agreementGrantToken: string };
    return body.agreementGrantToken;
  }

  async function addFaults(token: string, rules: object): Promise<void> {
    const res = await fetch(`${base}/agreements/${token}/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(rules),
    });
    expect(res.ok).toBe(true);
    await res.body?.cancel();
  }

  async function newClient(config: Partial<EconomicClientConfig> = {}) {
    const calls: CallInfo[] = [];
    const waits: number[] = [];
    const token = await newAgreement();
    const client = new EconomicClient({
      restBase: base,
      productsBase: `${base}/productsapi/v1.1.0`,
      projectsBase: `${base}/projectsapi/v1.1.0`,
      appSecretToken: "sandbox",
      agreementGrantToken: token,
      onCall: (info) => calls.push(info),
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...config,
    });
    return { client, calls, waits, token };
  }

  async function draftFor(
    client: EconomicClient,
    customerNumber: number,
  ): Promise<EconomicDraftInvoiceInput> {
    const customer = await client.customers.get(customerNumber);
    return {
      date: "2026-01-15",
      currency: "DKK",
      customer: { customerNumber },
      paymentTerms: { paymentTermsNumber: 1 },
      layout: { layoutNumber: 19 },
      recipient: { name: customer.name, vatZone: { vatZoneNumber: 1 } },
      references: { other: "RB-1001 (test), [x]" },
      lines: [
        {
          lineNumber: 1,
          product: { productNumber: "P-1" },
          description: "Widget",
          quantity: 2,
          unitNetPrice: 100.5,
          unit: { unitNumber: 1 },
        },
      ],
    };
  }

  it("reads the agreement and the reference data", async () => {
    const { client } = await newClient();
    const me = await client.self();
    expect(me.agreementNumber).toBeGreaterThan(0);
    expect(me.company?.name).toBeTruthy();
    const accounts = await client.accounts.all();
    expect(accounts.some((a) => a.accountNumber === 1010)).toBe(true);
    expect((await client.vatZones.all()).map((z) => z.vatZoneNumber)).toEqual([1, 2, 3, 4]);
    expect((await client.paymentTerms.all()).length).toBeGreaterThan(0);
    expect((await client.layouts.all()).map((l) => l.layoutNumber)).toContain(19);
    expect((await client.units.all()).map((u) => u.unitNumber)).toContain(1);
    const firstPage = await client.accounts.page({ pageSize: 5 });
    expect(firstPage.items).toHaveLength(5);
    expect(firstPage.hasMore).toBe(true);
  });

  it("manages customer groups, product groups and projects", async () => {
    const { client, calls } = await newClient();
    expect((await client.customerGroups.get(1)).customerGroupNumber).toBe(1);
    const group = await client.customerGroups.create({
      customerGroupNumber: 2,
      name: "Udenlandske kunder",
      account: { accountNumber: 5600 },
    });
    expect(group.customerGroupNumber).toBe(2);
    expect((await client.customerGroups.all()).map((g) => g.customerGroupNumber)).toEqual([1, 2]);

    expect((await client.productGroups.get(1)).productGroupNumber).toBe(1);
    const salesAccounts = await client.productGroups.salesAccounts(1);
    expect(salesAccounts.map((s) => s.vatZone.vatZoneNumber).sort()).toEqual([1, 2, 3, 4]);
    const created = await client.productGroups.create({
      productGroupNumber: 7,
      name: "Ydelser",
      salesAccounts: [
        { vatZoneNumber: 1, accountNumber: 1010 },
        { vatZoneNumber: 2, accountNumber: 1025 },
      ],
    });
    expect(created.productGroupNumber).toBe(7);
    expect(calls.slice(-4).map((c) => `${c.api} ${c.method} ${c.path}`)).toEqual([
      "products POST /productgroups",
      "rest GET /product-groups/7/sales-accounts",
      "products POST /productgroups/7/zones",
      "rest GET /product-groups/7",
    ]);
    const zones = await client.productGroups.salesAccounts(7);
    expect(zones.find((z) => z.vatZone.vatZoneNumber === 2)?.salesAccount.accountNumber).toBe(1025);
    expect((await client.productGroups.all()).map((g) => g.productGroupNumber)).toContain(7);

    const projects = await client.projects.list();
    expect(projects.find((p) => p.number === 100)).toMatchObject({ name: "Kontorindretning" });
  });

  it("renames a customer group and a product group, their accounts as they were", async () => {
    const { client, calls } = await newClient();
    await client.customerGroups.create({
      customerGroupNumber: 3,
      name: "Før",
      account: { accountNumber: 5600 },
    });
    const renamed = await client.customerGroups.update(3, {
      customerGroupNumber: 3,
      name: "Efter",
      account: { accountNumber: 5600 },
    });
    expect(renamed).toMatchObject({
      customerGroupNumber: 3,
      name: "Efter",
      account: { accountNumber: 5600 },
    });
    expect((await client.customerGroups.get(3)).name).toBe("Efter");

    await client.productGroups.create({
      productGroupNumber: 8,
      name: "Før",
      salesAccounts: [
        { vatZoneNumber: 1, accountNumber: 1010 },
        { vatZoneNumber: 2, accountNumber: 1025 },
      ],
    });
    expect(await client.productGroups.rename(8, "Efter")).toBe(true);
    expect(calls.slice(-2).map((c) => `${c.api} ${c.method} ${c.path} ${c.status}`)).toEqual([
      "products GET /productgroups/8 200",
      "products PUT /productgroups 200",
    ]);
    expect((await client.productGroups.get(8)).name).toBe("Efter");
    const accounts = await client.productGroups.salesAccounts(8);
    expect(accounts.map((a) => [a.vatZone.vatZoneNumber, a.salesAccount.accountNumber]).sort()).toEqual([
      [1, 1010],
      [2, 1025],
    ]);
    // The same name again: read, not written.
    expect(await client.productGroups.rename(8, "Efter")).toBe(false);
    expect(calls.at(-1)).toMatchObject({ method: "GET", path: "/productgroups/8" });
  });

  it("creates, reads and updates customers and their contacts", async () => {
    const { client } = await newClient();
    const customer = await client.customers.create({
      ...customerInput("Kunde (A/S), [DK]"),
      ean: "5790000000000",
    });
    expect(customer.customerNumber).toBeGreaterThan(0);
    const fetched = await client.customers.get(customer.customerNumber);
    expect(fetched.name).toBe("Kunde (A/S), [DK]");
    const updated = await client.customers.update(customer.customerNumber, {
      ...customerInput("Kunde (A/S), [DK]"),
      city: "Aarhus",
    });
    expect(updated.city).toBe("Aarhus");
    expect((await client.customers.get(customer.customerNumber)).city).toBe("Aarhus");

    const contact = await client.customerContacts.create(customer.customerNumber, {
      name: "Jens Jensen",
      email: "jens@example.dk",
    });
    expect(contact.customerContactNumber).toBeGreaterThan(0);
    const contacts = await client.customerContacts.list(customer.customerNumber);
    expect(contacts.map((c) => c.name)).toEqual(["Jens Jensen"]);

    const found = await client.customers.all({ filter: eq("name", "Kunde (A/S), [DK]") });
    expect(found.map((c) => c.customerNumber)).toEqual([customer.customerNumber]);
  });

  it("iterates over many customers across pages", async () => {
    const { client, calls } = await newClient();
    const total = 130;
    for (let start = 0; start < total; start += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, total - start) }, (_, i) =>
          client.customers.create({ ...customerInput(`Bulk ${start + i}`), customerNumber: start + i + 1 }),
        ),
      );
    }
    calls.length = 0;
    const seen: number[] = [];
    for await (const c of client.customers.iterate({ pageSize: 50 })) seen.push(c.customerNumber);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(calls.filter((c) => c.path === "/customers")).toHaveLength(3);

    const filtered = await client.customers.all({
      pageSize: 7,
      filter: and(like("name", "Bulk 1"), eq("currency", "DKK")),
    });
    expect(filtered.length).toBeGreaterThan(7);
    expect(filtered.every((c) => c.name.includes("Bulk 1"))).toBe(true);
  });

  it("creates and reads products with special characters in their number", async () => {
    const { client } = await newClient();
    // The sandbox decodes with the client's own table, so every documented token is exercised.
    const numbers = [
      "A/B 10%",
      "x_y.z",
      "#1+2?",
      "Æble = 1",
      "100%_off/sale",
      "_8_",
      "a:b&c",
      "<*>",
      "back\\slash",
    ];
    for (const productNumber of numbers) {
      const p = await client.products.create({
        productNumber,
        name: `Product ${productNumber}`,
        productGroup: { productGroupNumber: 1 },
        salesPrice: 12.5,
      });
      expect(p.productNumber).toBe(productNumber);
      await expect(client.products.get(productNumber)).resolves.toMatchObject({
        productNumber,
        salesPrice: 12.5,
      });
    }
    const listed = await client.products.all({ filter: eq("productNumber", "A/B 10%") });
    expect(listed.map((p) => p.productNumber)).toEqual(["A/B 10%"]);
    const missing = await client.products.get("no/such thing").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EconomicError);
    expect(missing).toMatchObject({ status: 404, mayHaveCommitted: false });
  });

  it("runs the draft invoice life cycle, books it and fetches the PDF", async () => {
    const { client } = await newClient();
    const customer = await client.customers.create(customerInput("Faktura Kunde"));
    await client.products.create({
      productNumber: "P-1",
      name: "Widget",
      productGroup: { productGroupNumber: 1 },
    });
    const input = await draftFor(client, customer.customerNumber);

    const draft = await client.draftInvoices.create(input);
    expect(draft.draftInvoiceNumber).toBeGreaterThan(0);
    expect(draft.netAmount).toBe(201);
    expect((await client.draftInvoices.get(draft.draftInvoiceNumber)).lines).toHaveLength(1);

    const updated = await client.draftInvoices.update(draft.draftInvoiceNumber, {
      ...input,
      notes: { heading: "Opdateret" },
    });
    expect(updated.notes?.heading).toBe("Opdateret");

    const byCustomer = await client.draftInvoices.all({
      filter: eq("customer.customerNumber", customer.customerNumber),
    });
    expect(byCustomer.map((d) => d.draftInvoiceNumber)).toEqual([draft.draftInvoiceNumber]);

    const throwaway = await client.draftInvoices.create(input);
    await client.draftInvoices.delete(throwaway.draftInvoiceNumber);
    await expect(client.draftInvoices.get(throwaway.draftInvoiceNumber)).rejects.toMatchObject({
      status: 404,
    });

    const booked = await client.bookedInvoices.book({ draftInvoiceNumber: draft.draftInvoiceNumber });
    expect(booked.bookedInvoiceNumber).toBeGreaterThan(0);
    expect(booked.grossAmount).toBe(251.25);
    await expect(client.draftInvoices.get(draft.draftInvoiceNumber)).rejects.toMatchObject({ status: 404 });
    expect((await client.bookedInvoices.get(booked.bookedInvoiceNumber)).customer.customerNumber).toBe(
      customer.customerNumber,
    );
    const bookedList = await client.bookedInvoices.all({
      filter: eq("bookedInvoiceNumber", booked.bookedInvoiceNumber),
    });
    expect(bookedList).toHaveLength(1);
    const pdf = await client.bookedInvoices.pdf(booked.bookedInvoiceNumber);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
  });

  it("maps the sandbox's validation errors to field paths", async () => {
    const { client, calls } = await newClient();
    const customer = await client.customers.create(customerInput("Valid Kunde"));
    await client.products.create({
      productNumber: "P-1",
      name: "Widget",
      productGroup: { productGroupNumber: 1 },
    });
    const input = await draftFor(client, customer.customerNumber);
    calls.length = 0;
    const error = await client.draftInvoices
      .create({
        ...input,
        customer: { customerNumber: 987_654 },
        lines: [{ ...input.lines![0]!, unitNetPrice: 10.123 }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EconomicError);
    const e = error as EconomicError;
    expect(e).toMatchObject({ status: 400, mayHaveCommitted: false });
    const byPath = e.fieldErrorsByPath();
    expect(Object.keys(byPath)).toEqual(expect.arrayContaining(["customer", "lines[0].unitNetPrice"]));
    expect(e.fieldErrors.find((f) => f.path === "lines[0].unitNetPrice")?.errorCode).toBe("E04740");
    expect(calls).toHaveLength(1);
  });

  it("retries by the fault plan: GET through 500s, POST only when told to", async () => {
    const { client, calls, token } = await newClient();
    await addFaults(token, { method: "GET", path: "/self", times: 2, respond: 500 });
    await client.self();
    expect(calls.map((c) => c.status)).toEqual([500, 500, 200]);

    calls.length = 0;
    await addFaults(token, { method: "POST", path: "/customers", times: 2, respond: 500 });
    const first = await client.customers.create(customerInput("Retry Kunde")).catch((e: unknown) => e);
    expect(first).toMatchObject({ status: 500, mayHaveCommitted: true, attempts: 1 });
    const second = await client.customers.create(customerInput("Retry Kunde"), { retryAmbiguous: true });
    expect(second.name).toBe("Retry Kunde");
    expect(calls.map((c) => c.status)).toEqual([500, 500, 201]);
  });

  it("honours Retry-After on a 429 fault", async () => {
    const { client, calls, waits, token } = await newClient();
    await addFaults(token, { method: "POST", path: "/customers", times: 1, respond: 429, retryAfter: 2 });
    await client.customers.create(customerInput("Rate Kunde"));
    expect(calls.map((c) => c.status)).toEqual([429, 201]);
    expect(waits).toEqual([2_000]);
  });

  it("flags a POST whose response was dropped after commit, so a look-up finds it", async () => {
    const { client, token } = await newClient();
    await addFaults(token, { method: "POST", path: "/customers", times: 1, dropResponseAfterCommit: true });
    const error = await client.customers
      .create({ ...customerInput("Dropped Kunde"), customerNumber: 4242 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "network", mayHaveCommitted: true, attempts: 1 });
    await expect(client.customers.get(4242)).resolves.toMatchObject({ name: "Dropped Kunde" });
  });

  it("times out a slow GET and retries it", async () => {
    const { client, calls, token } = await newClient({ timeoutMs: 200 });
    await addFaults(token, { method: "GET", path: "/vat-zones", times: 1, delayMs: 600 });
    await expect(client.vatZones.all()).resolves.toHaveLength(4);
    expect(calls.map((c) => c.error?.kind ?? c.status)).toEqual(["timeout", 200]);
    // The abandoned request still runs on the server after its delay; let it finish before the
    // database is closed under it.
    await new Promise((resolve) => setTimeout(resolve, 600));
  });
});
