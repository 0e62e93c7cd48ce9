import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transferAttempts, transfers } from "@/db/schema";
import { createTestDb, type TestDb } from "@/test/support/db";
import {
  economicCallsOf,
  type InvoiceInput,
  isSettled,
  type SandboxCompany,
  type Sandboxes,
  startSandboxes,
} from "@/test/support/sandboxes";
import { startWorkerProcess, type WorkerProcess } from "@/test/support/worker-process";

/**
 * Worker processes stopped by SIGTERM and killed with SIGKILL, against one Postgres (several
 * processes cannot share a PGlite), so these run when DATABASE_URL is set, as in CI.
 */
describe.runIf(process.env.DATABASE_URL)("transfer worker processes (postgres)", () => {
  let testDb: TestDb;
  let sandboxes: Sandboxes;
  const started: WorkerProcess[] = [];

  beforeAll(async () => {
    testDb = await createTestDb("postgres");
    sandboxes = await startSandboxes(testDb.db);
  }, 60_000);

  afterAll(async () => {
    for (const p of started)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(started.map((p) => p.exited));
    await sandboxes?.close();
    await testDb?.close();
  });

  const start = async (env: Record<string, string> = {}) => {
    const p = await startWorkerProcess({ DATABASE_URL: testDb.url!, APP_URL: sandboxes.url, ...env });
    started.push(p);
    return p;
  };

  const coffee: InvoiceInput = {
    customer_id: 101,
    lines: [
      { child_id: "KAF-100", quantity: 2 },
      { child_id: "OST-001", quantity: 1 },
    ],
  };

  async function transfersOf(companies: SandboxCompany[]) {
    return testDb.db
      .select()
      .from(transfers)
      .where(sql`${transfers.companyId} in ${companies.map((c) => c.companyId)}`);
  }

  async function waitUntil(
    what: string,
    check: () => Promise<boolean>,
    timeoutMs: number,
    explain: () => Promise<string> = async () => "",
  ): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${await explain()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("SIGTERM during 20 in-flight transfers: leases given back, a second instance finishes all, none twice", async () => {
    const companies: SandboxCompany[] = [];
    for (let i = 0; i < 5; i++) companies.push(await sandboxes.createCompany());
    // Every customer call of these agreements takes 3 s, longer than the first worker's grace.
    for (const c of companies) await c.setFaults({ method: "GET", path: "/customers", delayMs: 3_000 });
    for (const c of companies) for (let i = 0; i < 4; i++) await c.bookInvoice(coffee);
    const first = await start({ WORKER_CONCURRENCY: "20", WORKER_GRACE_MS: "1000" });

    await waitUntil(
      "20 transfers in flight",
      async () => (await transfersOf(companies)).filter((t) => t.status === "processing").length === 20,
      30_000,
      async () =>
        `${JSON.stringify((await transfersOf(companies)).map((t) => [t.status, t.lastError]))}\n${first.output()}`,
    );
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/SIGTERM, stopping/);
    // Given back, not left to the 60 s lease: queued again, no lease, due now.
    const released = await transfersOf(companies);
    expect(released.every((t) => t.status === "queued" && t.leaseOwner === null)).toBe(true);
    const attempts = await testDb.db
      .select({ outcome: transferAttempts.outcome })
      .from(transferAttempts)
      .where(sql`${transferAttempts.transferId} in ${released.map((t) => t.id)}`);
    expect(attempts.filter((a) => a.outcome === "released")).toHaveLength(20);

    const second = await start({ WORKER_CONCURRENCY: "20" });
    await waitUntil(
      "all 20 transferred",
      async () => (await transfersOf(companies)).every(isSettled),
      15_000,
    );
    const done = await transfersOf(companies);
    expect(done.map((t) => t.status)).toEqual(Array(20).fill("draft"));
    for (const c of companies) {
      const { drafts } = await c.invoices();
      expect(drafts).toHaveLength(4);
      const ours = done.filter((t) => t.companyId === c.companyId).map((t) => t.economicDraftNumber);
      expect(new Set(ours)).toEqual(new Set(drafts.map((d) => d.draftInvoiceNumber)));
    }
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);

  it("kill -9 mid-attempt: every e-conomic call the attempt completed is in its log", async () => {
    const company = await sandboxes.createCompany();
    // The draft POST hangs, so the process dies with the master data created and the draft in flight.
    await company.setFaults({ method: "POST", path: "/invoices/drafts", delayMs: 6_000 });
    const worker = await start();
    const number = await company.bookInvoice(coffee);
    await waitUntil(
      "the draft POST to be sent",
      async () => {
        const [t] = await testDb.db
          .select({ checkpoint: transfers.checkpoint })
          .from(transfers)
          .where(
            and(eq(transfers.companyId, company.companyId), eq(transfers.rackbeatInvoiceNumber, number)),
          );
        return Boolean((t?.checkpoint as { draft?: { sentAt?: string } } | undefined)?.draft?.sentAt);
      },
      30_000,
    );
    worker.child.kill("SIGKILL");
    expect(await worker.exited).toBe("SIGKILL");

    const [transfer] = await testDb.db
      .select()
      .from(transfers)
      .where(and(eq(transfers.companyId, company.companyId), eq(transfers.rackbeatInvoiceNumber, number)));
    const calls = await economicCallsOf(testDb.db, transfer!.id);
    // What e-conomic holds was made by this attempt: each create is in the log.
    const [customers, products] = await Promise.all([
      company.economic.customers.all(),
      company.economic.products.all(),
    ]);
    expect(customers.map((c) => c.customerNumber)).toEqual([101]);
    expect(products.map((p) => p.productNumber).sort()).toEqual(["KAF-100", "OST-001"]);
    expect(calls.filter((c) => c === "POST /customers 201")).toHaveLength(1);
    expect(calls.filter((c) => c === "POST /products 201")).toHaveLength(2);
    expect(calls).toContain("GET /customers 200");
    // Only the call in flight is missing.
    expect(calls.some((c) => c.startsWith("POST /invoices/drafts"))).toBe(false);
  }, 120_000);
});
