import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { economicKnown } from "@/db/schema";
import { type CallInfo, EconomicClient } from "@/lib/economic";
import { dbKinds } from "@/test/support/db";
import { useEngineHarness } from "@/test/support/engine";
import type { InvoiceInput, SandboxCompany } from "@/test/support/sandboxes";
import { ensurePrimed, PRIMED_KIND, STALE_CLAIM_MS } from "./prime-master-data";

const LIST_CALLS = [
  "GET /customer-groups 200",
  "GET /customers 200",
  "GET /product-groups 200",
  "GET /products 200",
  "GET /payment-terms 200",
];
/** A look-up of one record by number (not a list). */
const PER_ITEM_GET = /^GET \/(customer-groups|customers|product-groups|products)\/\S+ /;

describe.each(dbKinds)("master-data priming (%s)", (kind) => {
  const engine = useEngineHarness(kind, {
    engine: { mailer: null },
    concurrency: 16,
    perCompanyLimit: 16,
    retryPolicy: { maxAttempts: 40 },
  });

  const { waitForTransfer, callsOf } = engine;

  async function marker(company: SandboxCompany) {
    const [row] = await engine.db
      .select({ data: economicKnown.data })
      .from(economicKnown)
      .where(
        and(
          eq(economicKnown.companyId, company.companyId),
          eq(economicKnown.kind, PRIMED_KIND),
          eq(economicKnown.key, String(company.agreementNumber)),
        ),
      );
    return row?.data as { state?: string; customers?: number; products?: number } | undefined;
  }

  async function cachedKeys(company: SandboxCompany, kind: string): Promise<string[]> {
    const rows = await engine.db
      .select({ key: economicKnown.key })
      .from(economicKnown)
      .where(and(eq(economicKnown.companyId, company.companyId), eq(economicKnown.kind, kind)));
    return rows.map((r) => r.key).sort();
  }

  const coffee: InvoiceInput = {
    customer_id: 101,
    lines: [
      { child_id: "KAF-100", quantity: 2 },
      { child_id: "OST-001", quantity: "2.5" },
    ],
  };

  describe("a company whose master data is already in e-conomic", () => {
    let company: SandboxCompany;

    beforeAll(async () => {
      company = await engine.sandboxes.createCompany({ settings: { bookWhenBookedInRackbeat: true } });
      await company.seedEconomicMasterData({
        customers: [101, 105],
        products: ["KAF-100", "OST-001", "GAVE-1"],
      });
    });

    it("primes with one list call per collection, then a booked invoice costs exactly 2 calls", async () => {
      const t1 = await waitForTransfer(company.companyId, await company.bookInvoice(coffee));
      expect([t1.status, t1.lastError]).toEqual(["booked", null]);
      // No look-up of a customer or product: the lists answered everything.
      expect((await callsOf(t1)).sort()).toEqual(
        [...LIST_CALLS, "POST /invoices/booked 201", "POST /invoices/drafts 201"].sort(),
      );
      expect(await marker(company)).toMatchObject({ state: "done", customers: 2, products: 3 });
      expect(await cachedKeys(company, "customer")).toEqual(["101", "105"]);
      expect(await cachedKeys(company, "product")).toEqual(["GAVE-1", "KAF-100", "OST-001"]);

      const t2 = await waitForTransfer(
        company.companyId,
        await company.bookInvoice({ customer_id: 105, lines: [{ child_id: "GAVE-1", quantity: 1 }] }),
      );
      expect([t2.status, t2.lastError]).toEqual(["booked", null]);
      expect(await callsOf(t2)).toEqual(["POST /invoices/drafts 201", "POST /invoices/booked 201"]);
    });

    it("after priming, a new customer and a new product cost one create call each, no look-up", async () => {
      const t = await waitForTransfer(
        company.companyId,
        await company.bookInvoice({
          customer_id: 104,
          lines: [
            { child_id: "KAF-100", quantity: 1 },
            { child_id: "SIL-5", quantity: 3 },
          ],
        }),
      );
      expect([t.status, t.lastError]).toEqual(["booked", null]);
      const calls = await callsOf(t);
      expect(calls.filter((c) => PER_ITEM_GET.test(c))).toEqual([]);
      expect(calls.filter((c) => / \/(customers|products)\b/.test(c))).toEqual([
        "POST /customers 201",
        "POST /products 201",
      ]);
      expect(calls.slice(-2)).toEqual(["POST /invoices/drafts 201", "POST /invoices/booked 201"]);
      expect((await company.economic.customers.get(104)).customerNumber).toBe(104);
    });

    it("a customer and a product created in e-conomic behind our back: the duplicate refusal is settled", async () => {
      await company.economic.customers.create({
        customerNumber: 103,
        name: "Oprettet i hånden",
        currency: "EUR",
        customerGroup: { customerGroupNumber: 1 },
        paymentTerms: { paymentTermsNumber: 1 },
        vatZone: { vatZoneNumber: 2 },
      });
      await company.economic.products.create({
        productNumber: "OST-002",
        name: "Oprettet i hånden",
        productGroup: { productGroupNumber: 1 },
      });
      const number = await company.bookInvoice({
        customer_id: 103,
        lines: [{ child_id: "OST-002", quantity: 1 }],
      });
      const t = await waitForTransfer(company.companyId, number);
      expect([t.status, t.lastError]).toEqual(["booked", null]);
      const calls = await callsOf(t);
      expect(calls).toEqual(
        expect.arrayContaining([
          "POST /customers 400",
          "GET /customers/103 200",
          "PUT /customers/103 200",
          "POST /products 400",
          "GET /products/OST-002 200",
        ]),
      );
      expect(calls.filter((c) => c === "POST /customers 201" || c === "POST /products 201")).toEqual([]);
      const rackbeatName = (await company.rackbeat.getCustomer(103)).company_name;
      expect((await company.economic.customers.get(103)).name).toBe(rackbeatName);
      expect((await company.economic.bookedInvoices.get(Number(number))).customer.customerNumber).toBe(103);
      expect(await cachedKeys(company, "customer")).toContain("103");
    });
  });

  it("concurrent first transfers of one company prime once, and none makes a duplicate", async () => {
    const company = await engine.sandboxes.createCompany({ settings: { bookWhenBookedInRackbeat: true } });
    await company.seedEconomicMasterData({ customers: [101], products: ["KAF-100"] });
    // A slow product list keeps the priming transfer busy while the others run.
    await company.setFaults({ method: "GET", path: "/products", delayMs: 600 });
    const inputs: InvoiceInput[] = [
      coffee,
      {
        customer_id: 104,
        lines: [
          { child_id: "KAF-100", quantity: 1 },
          { child_id: "SIL-5", quantity: 2 },
        ],
      },
      { customer_id: 101, lines: [{ child_id: "SIL-5", quantity: 1 }] },
      { customer_id: 104, lines: [{ child_id: "OST-001", quantity: 4 }] },
    ];
    const numbers: string[] = [];
    for (const input of inputs) {
      const number = await company.createInvoice(input);
      await company.book(number, { suppressWebhooks: true });
      numbers.push(number);
    }
    expect(await Promise.all(numbers.map((n) => company.deliver(n)))).toEqual(numbers.map(() => 202));
    const rows = await Promise.all(numbers.map((n) => waitForTransfer(company.companyId, n)));
    await company.clearFaults();
    expect(rows.map((r) => [r.status, r.lastError])).toEqual(rows.map(() => ["booked", null]));

    const calls = await Promise.all(rows.map(callsOf));
    const primers = calls.filter((c) => c.includes("GET /customers 200"));
    expect(primers).toHaveLength(1);
    expect(primers[0]).toEqual(expect.arrayContaining(LIST_CALLS));
    // The others waited for the priming instead of looking records up one by one meanwhile: none
    // asked for the customer or product that e-conomic had (the lists brought them).
    const all = calls.flat();
    expect(all.filter((x) => /^GET \/(customers\/101|products\/KAF-100) /.test(x))).toEqual([]);

    const { booked, drafts } = await company.invoices();
    expect(drafts).toHaveLength(0);
    expect(booked.map((b) => b.bookedInvoiceNumber).sort()).toEqual(numbers.map(Number).sort());
    expect((await company.economic.customers.all()).map((c) => c.customerNumber).sort()).toEqual([101, 104]);
    expect((await company.economic.products.all()).map((p) => p.productNumber).sort()).toEqual([
      "KAF-100",
      "OST-001",
      "SIL-5",
    ]);
    expect(await marker(company)).toMatchObject({ state: "done" });
    expect(await cachedKeys(company, "customer")).toEqual(["101", "104"]);
    expect(await cachedKeys(company, "product")).toEqual(["KAF-100", "OST-001", "SIL-5"]);
  });

  it("one claim wins among concurrent primers; a failed priming is retried after the claim went stale", async () => {
    const company = await engine.sandboxes.createCompany();
    await company.seedEconomicMasterData({ customers: [101], products: ["KAF-100"] });
    const calls: CallInfo[] = [];
    const economic = new EconomicClient({
      restBase: engine.sandboxes.urls.economicRest,
      productsBase: engine.sandboxes.urls.economicProducts,
      projectsBase: engine.sandboxes.urls.economicProjects,
      appSecretToken: "sandbox",
      agreementGrantToken: company.grantToken,
      retry: { maxAttempts: 1 },
      onCall: (info) => calls.push(info),
    });
    const scope = {
      db: engine.db,
      economic,
      companyId: company.companyId,
      agreementKey: String(company.agreementNumber),
    };

    await company.setFaults({ method: "GET", path: "/customers", respond: 503, times: 1 });
    const failed = await ensurePrimed(scope);
    expect(failed.kind).toBe("failed");
    expect(await marker(company)).toMatchObject({ state: "failed" });
    // Within the stale period nobody lists again: the per-item path applies.
    expect((await ensurePrimed(scope)).kind).toBe("busy");

    // The stale period passes.
    await engine.db
      .update(economicKnown)
      .set({ updatedAt: new Date(Date.now() - STALE_CLAIM_MS - 1_000) })
      .where(and(eq(economicKnown.companyId, company.companyId), eq(economicKnown.kind, PRIMED_KIND)));
    calls.length = 0;
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => ensurePrimed(scope)));
    const kinds = outcomes.map((o) => o.kind);
    expect(kinds.filter((k) => k === "primedNow")).toHaveLength(1);
    expect(kinds.filter((k) => k !== "primedNow").every((k) => k === "busy" || k === "primed")).toBe(true);
    expect(calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual(
      [
        "GET /customer-groups",
        "GET /customers",
        "GET /product-groups",
        "GET /products",
        "GET /payment-terms",
      ].sort(),
    );
    expect(await marker(company)).toMatchObject({ state: "done", customers: 1, products: 1 });
    expect((await ensurePrimed(scope)).kind).toBe("primed");
  });

  it("two primers with database clients of their own (two processes) list once: the other waits and uses it", async () => {
    const company = await engine.sandboxes.createCompany();
    await company.seedEconomicMasterData({ customers: [101, 102], products: ["KAF-100"] });
    // A slow customer list keeps the first primer busy while the second arrives.
    await company.setFaults({ method: "GET", path: "/customers", delayMs: 500 });
    const calls: CallInfo[] = [];
    const economic = new EconomicClient({
      restBase: engine.sandboxes.urls.economicRest,
      productsBase: engine.sandboxes.urls.economicProducts,
      projectsBase: engine.sandboxes.urls.economicProjects,
      appSecretToken: "sandbox",
      agreementGrantToken: company.grantToken,
      retry: { maxAttempts: 1 },
      onCall: (info) => calls.push(info),
    });
    // On Postgres a second pool, as another process has (PGlite lives in one process only).
    const other = engine.url ? await openDb({ url: engine.url, max: 2 }) : undefined;
    try {
      const scope = (db: typeof engine.db) => ({
        db,
        economic,
        companyId: company.companyId,
        agreementKey: String(company.agreementNumber),
      });
      const outcomes = await Promise.all([
        ensurePrimed(scope(engine.db)),
        new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
          ensurePrimed(scope(other?.db ?? engine.db)),
        ),
      ]);
      expect(outcomes.map((o) => o.kind)).toEqual(["primedNow", "primed"]);
      // Each collection listed once, and no record looked up one by one.
      expect(calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual(
        [
          "GET /customer-groups",
          "GET /customers",
          "GET /product-groups",
          "GET /products",
          "GET /payment-terms",
        ].sort(),
      );
      expect(await marker(company)).toMatchObject({ state: "done", customers: 2, products: 1 });
    } finally {
      await company.clearFaults();
      await other?.close();
    }
  });
});
