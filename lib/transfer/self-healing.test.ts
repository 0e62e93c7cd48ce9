import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { companyIntegrations, economicKnown, transfers } from "@/db/schema";
import { connectEconomic } from "@/lib/integrations/connect-economic";
import { dbKinds } from "@/test/support/db";
import { useEngineHarness } from "@/test/support/engine";
import type { InvoiceInput } from "@/test/support/sandboxes";
import { claimDraft, releaseDraftClaim } from "./exactly-once";

describe.each(dbKinds)("the engine heals its master-data cache (%s)", (kind) => {
  const engine = useEngineHarness(kind, {
    engine: { mailer: null },
    retryPolicy: { maxAttempts: 5 },
  });

  const coffee: InvoiceInput = {
    customer_id: 101,
    lines: [
      { child_id: "KAF-100", quantity: 2 },
      { child_id: "OST-001", quantity: 1 },
    ],
  };

  async function knownKeys(companyId: string, agreement: string, kindName: string): Promise<string[]> {
    const rows = await engine.db
      .select({ key: economicKnown.key })
      .from(economicKnown)
      .where(
        and(
          eq(economicKnown.companyId, companyId),
          eq(economicKnown.agreement, agreement),
          eq(economicKnown.kind, kindName),
        ),
      );
    return rows.map((r) => r.key).sort();
  }

  it("after connecting another agreement, the next invoice recreates its master data there", async () => {
    const company = await engine.sandboxes.createCompany();
    const first = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    expect(first.status).toBe("draft");
    const oldAgreement = String(company.agreementNumber);
    expect(await knownKeys(company.companyId, oldAgreement, "product")).toEqual(["KAF-100", "OST-001"]);

    // The user pastes the grant token of another agreement (which has none of this master data).
    const response = await fetch(`${engine.sandboxes.url}/sandbox/economic/agreements`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ companyName: "Nyt regnskab" }),
    });
    const other = (await response.json()) as { agreementGrantToken: string; agreementNumber: number };
    const connected = await connectEconomic(
      engine.db,
      company.companyId,
      { agreementGrantToken: other.agreementGrantToken },
      { urls: engine.sandboxes.urls },
    );
    expect(connected.ok).toBe(true);
    // A new agreement asks for its defaults and activation again (the setup page).
    await engine.db
      .update(companyIntegrations)
      .set({ defaultLayoutNumber: 19, defaultPaymentTermsNumber: 1, activated: true })
      .where(eq(companyIntegrations.companyId, company.companyId));

    const second = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    expect(second.lastError).toBeNull();
    expect(second.status).toBe("draft");
    const newAgreement = String(other.agreementNumber);
    expect(await knownKeys(company.companyId, newAgreement, "product")).toEqual(["KAF-100", "OST-001"]);
    expect(await knownKeys(company.companyId, newAgreement, "customer")).toEqual(["101"]);
    // The draft and its master data are in the new agreement.
    const headers = {
      "X-AppSecretToken": "sandbox",
      "X-AgreementGrantToken": other.agreementGrantToken,
    };
    const drafts = (await (
      await fetch(`${engine.sandboxes.urls.economicRest}/invoices/drafts`, { headers })
    ).json()) as {
      collection: { draftInvoiceNumber: number }[];
    };
    expect(drafts.collection.map((d) => d.draftInvoiceNumber)).toEqual([second.economicDraftNumber]);
    const product = await fetch(`${engine.sandboxes.urls.economicRest}/products/KAF-100`, { headers });
    expect(product.status).toBe(200);
  }, 60_000);

  it("recreates a product deleted in e-conomic and transfers the next invoice in the same attempt", async () => {
    const company = await engine.sandboxes.createCompany();
    const first = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    expect(first.status).toBe("draft");

    // A bookkeeper deletes the product in e-conomic; the cache still says it exists.
    const deleted = await fetch(`${engine.sandboxes.urls.economicRest}/products/KAF-100`, {
      method: "DELETE",
      headers: { "X-AppSecretToken": "sandbox", "X-AgreementGrantToken": company.grantToken },
    });
    expect(deleted.status).toBe(204);

    const second = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    expect(second.lastError).toBeNull();
    expect(second.status).toBe("draft");
    expect(second.attempts).toBe(1);
    const calls = await engine.callsOf(second);
    expect(calls).toEqual(["POST /invoices/drafts 400", "POST /products 201", "POST /invoices/drafts 201"]);
    const product = await company.economic.products.get("KAF-100");
    expect(product.productNumber).toBe("KAF-100");
  }, 60_000);

  it("recreates a customer deleted in e-conomic", async () => {
    const company = await engine.sandboxes.createCompany();
    const first = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    expect(first.status).toBe("draft");
    const deleted = await fetch(`${engine.sandboxes.urls.economicRest}/customers/101`, {
      method: "DELETE",
      headers: { "X-AppSecretToken": "sandbox", "X-AgreementGrantToken": company.grantToken },
    });
    expect(deleted.status).toBe(204);

    const second = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    expect(second.status).toBe("draft");
    expect(await engine.callsOf(second)).toEqual([
      "POST /invoices/drafts 400",
      "POST /customers 201",
      "POST /invoices/drafts 201",
    ]);
    expect((await company.economic.customers.get(101)).customerNumber).toBe(101);
  }, 60_000);

  it("two identical invoices that both lose their draft's answer adopt a draft each", async () => {
    const company = await engine.sandboxes.createCompany();
    // Prime and create the master data first, so both invoices reach the draft POST together.
    await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    await company.setFaults({
      method: "POST",
      path: "/invoices/drafts",
      times: 2,
      dropResponseAfterCommit: true,
    });
    const numbers = await Promise.all([company.createInvoice(coffee), company.createInvoice(coffee)]);
    await Promise.all(numbers.map((n) => company.book(n)));
    const [a, b] = await Promise.all(numbers.map((n) => engine.waitForTransfer(company.companyId, n)));
    expect([a!.status, b!.status]).toEqual(["draft", "draft"]);
    expect(a!.economicDraftNumber).not.toBe(b!.economicDraftNumber);
    // Both lost the answer and found the drafts by looking (the two match either invoice).
    for (const t of [a!, b!]) {
      expect(await engine.callsOf(t)).toEqual(["POST /invoices/drafts -", "GET /invoices/drafts 200"]);
    }
    const { drafts } = await company.invoices();
    expect(drafts).toHaveLength(3);
  }, 60_000);

  it("a draft is claimed by one transfer only", async () => {
    const company = await engine.sandboxes.createCompany();
    const a = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    const b = await engine.waitForTransfer(company.companyId, await company.bookInvoice(coffee));
    const scope = (transferId: string) => ({
      db: engine.db,
      companyId: company.companyId,
      agreement: String(company.agreementNumber),
      transferId,
    });
    // Both transfers hold their own draft already (claimed when e-conomic answered).
    expect(await claimDraft(scope(a.id), a.economicDraftNumber!, { fresh: false })).toBe(true);
    expect(await claimDraft(scope(b.id), a.economicDraftNumber!, { fresh: false })).toBe(false);
    // Two transfers racing for an unclaimed draft: exactly one wins.
    const results = await Promise.all([
      claimDraft(scope(a.id), 9_999, { fresh: false }),
      claimDraft(scope(b.id), 9_999, { fresh: false }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    // A number e-conomic has just issued again is not taken from a recent claim...
    const loser = results[0] ? b : a;
    expect(await claimDraft(scope(loser.id), 9_999, { fresh: true })).toBe(false);
    // ...and is free again once its draft is gone.
    await releaseDraftClaim(scope(results[0] ? a.id : b.id), 9_999);
    expect(await claimDraft(scope(loser.id), 9_999, { fresh: false })).toBe(true);
    const [row] = await engine.db.select().from(transfers).where(eq(transfers.id, a.id));
    expect(row?.economicDraftNumber).toBe(a.economicDraftNumber);
  }, 60_000);
});
