import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { economicCalls, transfers } from "@/db/schema";
import { rbCustomers } from "@/lib/sandbox/rackbeat/schema";
import { dbKinds } from "@/test/support/db";
import { useEngineHarness } from "@/test/support/engine";

/**
 * The engine against the stricter e-conomic sandbox: each of the four things e-conomic refuses
 * (the invented product-group body, a draft on dueDate terms without dueDate, EAN booking without
 * a contact person on the customer, and a filter reaching another agreement) is exercised by a
 * real transfer, and no e-conomic call of the engine is ever refused (no 4xx at all).
 */
describe.each(dbKinds)("the engine never triggers e-conomic's refusals (%s)", (kind) => {
  const engine = useEngineHarness(kind, {
    perCompanyLimit: 8,
    retryPolicy: { maxAttempts: 20 },
  });

  const { waitForTransfer } = engine;

  /** Every e-conomic call of the company's transfers that e-conomic refused (a 404 look-up is no refusal). */
  async function refusedCalls(companyId: string): Promise<string[]> {
    const ids = (
      await engine.db.select({ id: transfers.id }).from(transfers).where(eq(transfers.companyId, companyId))
    ).map((r) => r.id);
    if (ids.length === 0) return [];
    const calls = await engine.db
      .select({ method: economicCalls.method, path: economicCalls.path, status: economicCalls.status })
      .from(economicCalls)
      .where(inArray(economicCalls.transferId, ids));
    return calls
      .filter((c) => [400, 405, 409, 415, 422].includes(c.status ?? 0))
      .map((c) => `${c.method} ${c.path} ${c.status}`);
  }

  it("creates a new product group through the Products API, not with the invented body", async () => {
    const company = await engine.sandboxes.createCompany();
    // OST-001 is in Rackbeat product group 2, which e-conomic does not have yet.
    const number = await company.bookInvoice({
      customer_id: 101,
      lines: [{ child_id: "OST-001", quantity: 1 }],
    });
    const t = await waitForTransfer(company.companyId, number);
    expect(t.status, JSON.stringify(t.lastError)).toBe("draft");
    const zones = await company.economic.productGroups.salesAccounts(2);
    expect(zones.map((z) => [z.vatZone.vatZoneNumber, z.salesAccount.accountNumber])).toEqual([
      [1, 1010],
      [2, 1025],
      [3, 1020],
      [4, 1015],
    ]);
    expect(await refusedCalls(company.companyId)).toEqual([]);
  });

  it("sends dueDate for a customer on dueDate payment terms", async () => {
    const company = await engine.sandboxes.createCompany();
    const accountId = company.rackbeatAccountId;
    // The Rackbeat sandbox seeds terms 4 to match e-conomic's terms 4 ("Forfaldsdato på fakturaen", type dueDate).
    await engine.db
      .update(rbCustomers)
      .set({ paymentTermsNumber: 4 })
      .where(and(eq(rbCustomers.accountId, accountId), eq(rbCustomers.number, 105)));
    const number = await company.bookInvoice({
      customer_id: 105,
      date: "2026-02-20",
      due_date: "2026-03-02",
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    });
    const t = await waitForTransfer(company.companyId, number);
    expect(t.status, JSON.stringify(t.lastError)).toBe("draft");
    const [draft] = (await company.invoices()).drafts;
    expect(draft?.paymentTerms?.paymentTermsNumber).toBe(4);
    // Rackbeat's own due date.
    expect(draft?.dueDate).toBe("2026-03-02");
    expect(await refusedCalls(company.companyId)).toEqual([]);
  });

  it("books an EAN invoice after making the contact the customer's attention", async () => {
    const company = await engine.sandboxes.createCompany({ settings: { bookWhenBookedInRackbeat: true } });
    const number = await company.bookInvoice({
      customer_id: 102,
      lines: [{ child_id: "KAF-100", quantity: 3 }],
    });
    const t = await waitForTransfer(company.companyId, number);
    expect(t.status, JSON.stringify(t.lastError)).toBe("booked");
    expect(t.sentBy).toBe("ean");
    const customer = await company.economic.customers.get(102);
    const contacts = await company.economic.customerContacts.list(102);
    expect(contacts.map((c) => c.name)).toEqual(["Mette Jørgensen"]);
    expect(customer.attention).toMatchObject({ customerContactNumber: contacts[0]!.customerContactNumber });

    // The next EAN invoice finds the attention contact cached: no customer read or write.
    const again = await company.bookInvoice({
      customer_id: 102,
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    });
    const t2 = await waitForTransfer(company.companyId, again);
    expect(t2.status).toBe("booked");
    const calls = await engine.db
      .select({ path: economicCalls.path })
      .from(economicCalls)
      .where(eq(economicCalls.transferId, t2.id));
    expect(calls.map((c) => c.path).filter((p) => p.startsWith("/customers"))).toEqual([]);
    expect(await refusedCalls(company.companyId)).toEqual([]);
  });

  it("keeps two companies' identical invoices apart across agreements", async () => {
    const a = await engine.sandboxes.createCompany();
    const b = await engine.sandboxes.createCompany();
    // The same Rackbeat numbers in both accounts; B's draft create is answered with a dropped
    // connection after committing, so B finds its draft by filter (exactly-once.ts) and must not
    // adopt A's.
    await b.setFaults([
      { method: "POST", path: "/invoices/drafts", dropResponseAfterCommit: true, times: 1 },
    ]);
    const input = {
      customer_id: 101,
      number: "7001",
      order: { number: "ORD-7001" },
      lines: [{ child_id: "KAF-100", quantity: 1 }],
    };
    const [na, nb] = [await a.bookInvoice(input), await b.bookInvoice(input)];
    const [ta, tb] = [await waitForTransfer(a.companyId, na), await waitForTransfer(b.companyId, nb)];
    expect([ta.status, tb.status]).toEqual(["draft", "draft"]);
    expect(await a.countInvoices()).toEqual({ drafts: 1, booked: 0 });
    expect(await b.countInvoices()).toEqual({ drafts: 1, booked: 0 });
    expect(ta.economicDraftNumber).toBe(1);
    expect(tb.economicDraftNumber).toBe(1);
    expect(await refusedCalls(a.companyId)).toEqual([]);
    expect(await refusedCalls(b.companyId)).toEqual([]);
  });
});
