import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyIntegrations } from "@/db/schema";
import { createCompany } from "@/lib/auth/register";
import { tokenMatchesHash } from "@/lib/crypto/secrets";
import { createEconomicSandbox } from "@/lib/sandbox/economic/handler";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "@/lib/sandbox/rackbeat";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { loadIntegration } from "./clients";
import { connectEconomic } from "./connect-economic";
import { connectRackbeat, RACKBEAT_WEBHOOK_PATH } from "./connect-rackbeat";
import { loadDefaultChoices, saveDefaults } from "./defaults";
import { disconnectEconomic, disconnectRackbeat } from "./disconnect";
import type { IntegrationOptions } from "./options";
import {
  connectSandbox,
  createSandboxAgreement,
  createSandboxRackbeatAccount,
  sendTestInvoice,
} from "./sandbox-setup";

interface Delivery {
  token: string | null;
  event: string | null;
  accountId: string | null;
  body: unknown;
}

describe.each(dbKinds)("setup guide connections against the sandboxes on %s", (kind) => {
  let t: TestDb;
  let server: TestServer;
  let rackbeat: RackbeatSandboxHandler;
  let options: IntegrationOptions;
  const deliveries: Delivery[] = [];
  let n = 0;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const economic = createEconomicSandbox({ db: async () => t.db });
    rackbeat = createRackbeatSandbox({ db: async () => t.db, webhooks: { retryDelaysMs: [] } });
    // One server plays this app: both sandboxes under their paths, and a stand-in for our intake
    // that records what the Rackbeat sandbox delivers.
    server = await serve(async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/sandbox/economic")) return economic(request);
      if (pathname.startsWith("/sandbox/rackbeat")) return rackbeat(request);
      if (pathname === RACKBEAT_WEBHOOK_PATH) {
        deliveries.push({
          token: request.headers.get("rackbeat-webhook-token"),
          event: request.headers.get("rackbeat-webhook-event"),
          accountId: request.headers.get("rackbeat-account-id"),
          body: await request.json(),
        });
        return Response.json({ status: "queued" }, { status: 202 });
      }
      return new Response("not found", { status: 404 });
    });
    const base = server.url;
    options = {
      appUrl: base,
      urls: {
        economicRest: `${base}/sandbox/economic`,
        economicProducts: `${base}/sandbox/economic/productsapi/v1.1.0`,
        economicProjects: `${base}/sandbox/economic/projectsapi/v1.1.0`,
        economicGrant: `${base}/sandbox/economic/requestaccess`,
        rackbeat: `${base}/sandbox/rackbeat/api`,
      },
    };
  });
  afterAll(async () => {
    await rackbeat?.idle();
    await server?.close();
    await t?.close();
  });

  async function newCompany(): Promise<string> {
    n += 1;
    const { company } = await createCompany(t.db, `Firma ${n} ApS`, [
      {
        name: "Admin",
        email: `admin-${kind}-${n}-${Date.now()}@example.com`,
        password: "hemmelig-kode",
        role: "admin",
      },
    ]);
    return company.id;
  }

  async function rawRow(companyId: string): Promise<string> {
    const rows = await t.db.execute(
      sql`select row_to_json(ci)::text as json from company_integrations ci where company_id = ${companyId}`,
    );
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { json: string }[];
    return list[0]?.json ?? "";
  }

  async function webhooksOf(apiKey: string): Promise<{ id: number; url: string; event: string }[]> {
    const res = await fetch(`${options.urls!.rackbeat}/webhooks`, {
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { webhooks: { id: number; url: string; event: string }[] }).webhooks;
  }

  it("connects e-conomic with a valid grant token, encrypted at rest, and shows only a hint", async () => {
    const companyId = await newCompany();
    const agreement = await createSandboxAgreement(options);
    const result = await connectEconomic(
      t.db,
      companyId,
      { agreementGrantToken: agreement.agreementGrantToken },
      options,
    );
    expect(result).toEqual({
      ok: true,
      agreementNumber: agreement.agreementNumber,
      companyName: "Sandkasse ApS",
      tokenHint: `…${agreement.agreementGrantToken.slice(-4)}`,
    });
    const row = await loadIntegration(t.db, companyId);
    expect(row?.economicAgreementNumber).toBe(agreement.agreementNumber);
    expect(row?.economicCompanyName).toBe("Sandkasse ApS");
    expect(row?.economicGrantTokenEnc).toMatch(/^v1\./);
    expect(await rawRow(companyId)).not.toContain(agreement.agreementGrantToken);
  });

  it("refuses an invalid grant token and stores nothing", async () => {
    const companyId = await newCompany();
    const result = await connectEconomic(
      t.db,
      companyId,
      { agreementGrantToken: "not-a-real-token" },
      options,
    );
    expect(result).toEqual({ ok: false, error: "invalidCredentials" });
    expect(await loadIntegration(t.db, companyId)).toBeUndefined();
  });

  it("an invalid token leaves an existing connection as it was", async () => {
    const companyId = await newCompany();
    const agreement = await createSandboxAgreement(options);
    await connectEconomic(t.db, companyId, { agreementGrantToken: agreement.agreementGrantToken }, options);
    const before = await loadIntegration(t.db, companyId);
    expect((await connectEconomic(t.db, companyId, { agreementGrantToken: "wrong" }, options)).ok).toBe(
      false,
    );
    expect(await loadIntegration(t.db, companyId)).toEqual(before);
  });

  it("connects Rackbeat: key encrypted, account, webhook registered with our URL and its token hashed", async () => {
    const companyId = await newCompany();
    const account = await createSandboxRackbeatAccount(options);
    const result = await connectRackbeat(t.db, companyId, { apiKey: account.apiKey }, options);
    expect(result).toMatchObject({
      ok: true,
      accountId: String(account.accountId),
      accountName: "Kaffe & Delikatesser ApS",
    });
    const row = await loadIntegration(t.db, companyId);
    expect(row?.rackbeatAccountId).toBe(String(account.accountId));
    expect(row?.rackbeatApiKeyHint).toBe(`…${account.apiKey.slice(-4)}`);
    expect(row?.rackbeatWebhookEvents).toEqual(["invoice.booked"]);
    expect(row?.rackbeatWebhookTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await rawRow(companyId)).not.toContain(account.apiKey);
    const hooks = await webhooksOf(account.apiKey);
    expect(hooks).toEqual([
      expect.objectContaining({
        id: Number(row?.rackbeatWebhookId),
        event: "invoice.booked",
        url: `${server.url}/api/rackbeat/webhooks`,
      }),
    ]);
  });

  it("refuses an invalid Rackbeat key and stores nothing", async () => {
    const companyId = await newCompany();
    const result = await connectRackbeat(t.db, companyId, { apiKey: "rb_sandbox_wrong" }, options);
    expect(result).toEqual({ ok: false, error: "invalidCredentials" });
    expect(await loadIntegration(t.db, companyId)).toBeUndefined();
  });

  it("refuses a Rackbeat account already connected to another company", async () => {
    const first = await newCompany();
    const second = await newCompany();
    const account = await createSandboxRackbeatAccount(options);
    expect((await connectRackbeat(t.db, first, { apiKey: account.apiKey }, options)).ok).toBe(true);
    const hooksBefore = await webhooksOf(account.apiKey);
    const result = await connectRackbeat(t.db, second, { apiKey: account.apiKey }, options);
    expect(result).toEqual({ ok: false, error: "accountInUse" });
    expect(await loadIntegration(t.db, second)).toBeUndefined();
    // The first company's webhook (and so its token) is untouched.
    expect(await webhooksOf(account.apiKey)).toEqual(hooksBefore);
  });

  it("reconnecting the same account keeps one webhook with a fresh token", async () => {
    const companyId = await newCompany();
    const account = await createSandboxRackbeatAccount(options);
    await connectRackbeat(t.db, companyId, { apiKey: account.apiKey }, options);
    const firstHash = (await loadIntegration(t.db, companyId))?.rackbeatWebhookTokenHash;
    expect((await connectRackbeat(t.db, companyId, { apiKey: account.apiKey }, options)).ok).toBe(true);
    expect(await webhooksOf(account.apiKey)).toHaveLength(1);
    expect((await loadIntegration(t.db, companyId))?.rackbeatWebhookTokenHash).not.toBe(firstHash);
  });

  it("disconnecting Rackbeat deletes the webhook in the sandbox and forgets the key", async () => {
    const companyId = await newCompany();
    const account = await createSandboxRackbeatAccount(options);
    await connectRackbeat(t.db, companyId, { apiKey: account.apiKey }, options);
    await t.db
      .update(companyIntegrations)
      .set({ activated: true })
      .where(eq(companyIntegrations.companyId, companyId));
    expect(await disconnectRackbeat(t.db, companyId, options)).toEqual({ webhook: "deleted" });
    expect(await webhooksOf(account.apiKey)).toEqual([]);
    const row = await loadIntegration(t.db, companyId);
    expect(row).toMatchObject({
      rackbeatApiKeyEnc: null,
      rackbeatAccountId: null,
      rackbeatWebhookId: null,
      rackbeatWebhookTokenHash: null,
      rackbeatWebhookEvents: [],
      activated: false,
    });
    // The account is free for another company now.
    expect((await connectRackbeat(t.db, await newCompany(), { apiKey: account.apiKey }, options)).ok).toBe(
      true,
    );
  });

  it("disconnecting Rackbeat reports a webhook it could not delete and still forgets the key", async () => {
    const companyId = await newCompany();
    const account = await createSandboxRackbeatAccount(options);
    await connectRackbeat(t.db, companyId, { apiKey: account.apiKey }, options);
    const unreachable: IntegrationOptions = {
      ...options,
      urls: { ...options.urls!, rackbeat: "http://127.0.0.1:9/api" },
    };
    expect(await disconnectRackbeat(t.db, companyId, unreachable)).toEqual({ webhook: "failed" });
    expect((await loadIntegration(t.db, companyId))?.rackbeatApiKeyEnc).toBeNull();
  }, 60_000);

  it("disconnecting e-conomic forgets the token and deactivates", async () => {
    const companyId = await newCompany();
    const agreement = await createSandboxAgreement(options);
    await connectEconomic(t.db, companyId, { agreementGrantToken: agreement.agreementGrantToken }, options);
    await t.db
      .update(companyIntegrations)
      .set({ activated: true })
      .where(eq(companyIntegrations.companyId, companyId));
    await disconnectEconomic(t.db, companyId);
    expect(await loadIntegration(t.db, companyId)).toMatchObject({
      economicGrantTokenEnc: null,
      economicGrantTokenHint: null,
      economicAgreementNumber: null,
      activated: false,
    });
    expect(await loadDefaultChoices(t.db, companyId, options)).toEqual({ status: "notConnected" });
  });

  it("defaults come from e-conomic and are validated against it", async () => {
    const companyId = await newCompany();
    expect(
      await saveDefaults(
        t.db,
        companyId,
        { defaultLayoutNumber: 19, defaultPaymentTermsNumber: 1, senderEmail: "a@b.dk" },
        options,
      ),
    ).toEqual({ ok: false, error: "economicNotConnected" });
    const agreement = await createSandboxAgreement(options);
    await connectEconomic(t.db, companyId, { agreementGrantToken: agreement.agreementGrantToken }, options);
    const choices = await loadDefaultChoices(t.db, companyId, options);
    if (choices.status !== "ok") throw new Error(`choices: ${JSON.stringify(choices)}`);
    expect(choices.layouts.length).toBeGreaterThan(0);
    expect(choices.paymentTerms.length).toBeGreaterThan(0);
    const layout = choices.layouts[0]!.number;
    const terms = choices.paymentTerms[0]!.number;
    expect(
      await saveDefaults(
        t.db,
        companyId,
        { defaultLayoutNumber: 987654, defaultPaymentTermsNumber: 987654, senderEmail: "a@b.dk" },
        options,
      ),
    ).toEqual({
      ok: false,
      error: "invalid",
      fieldErrors: { defaultLayoutNumber: "notInEconomic", defaultPaymentTermsNumber: "notInEconomic" },
    });
    expect((await loadIntegration(t.db, companyId))?.defaultLayoutNumber).toBeNull();
    expect(
      await saveDefaults(
        t.db,
        companyId,
        { defaultLayoutNumber: layout, defaultPaymentTermsNumber: terms, senderEmail: "faktura@firma.dk" },
        options,
      ),
    ).toEqual({ ok: true });
    expect(await loadIntegration(t.db, companyId)).toMatchObject({
      defaultLayoutNumber: layout,
      defaultPaymentTermsNumber: terms,
      senderEmail: "faktura@firma.dk",
    });
    // Another agreement: the old agreement's defaults may not exist there, so they are cleared.
    const other = await createSandboxAgreement(options);
    await connectEconomic(t.db, companyId, { agreementGrantToken: other.agreementGrantToken }, options);
    expect(await loadIntegration(t.db, companyId)).toMatchObject({
      economicAgreementNumber: other.agreementNumber,
      defaultLayoutNumber: null,
      defaultPaymentTermsNumber: null,
      senderEmail: "faktura@firma.dk",
    });
  });

  it("Brug sandkasse connects both and picks defaults; a test invoice's webhook reaches us with our token", async () => {
    const companyId = await newCompany();
    const result = await connectSandbox(t.db, companyId, { senderEmail: "ejer@firma.dk" }, options);
    expect(result).toEqual({
      ok: true,
      economicCompanyName: "Sandkasse ApS",
      rackbeatAccountName: "Kaffe & Delikatesser ApS",
    });
    const row = await loadIntegration(t.db, companyId);
    const choices = await loadDefaultChoices(t.db, companyId, options);
    if (choices.status !== "ok") throw new Error("no choices");
    expect(row).toMatchObject({
      defaultLayoutNumber: choices.layouts[0]!.number,
      defaultPaymentTermsNumber: choices.paymentTerms[0]!.number,
      senderEmail: "ejer@firma.dk",
    });
    const sent = await sendTestInvoice(t.db, companyId, options);
    if (!sent.ok) throw new Error(`test invoice: ${sent.error}`);
    await rackbeat.idle();
    const delivery = deliveries.find(
      (d) =>
        d.accountId === row?.rackbeatAccountId && (d.body as { key?: string }).key === sent.invoiceNumber,
    );
    expect(delivery).toMatchObject({
      event: "invoice.booked",
      body: { key_name: "number", key: sent.invoiceNumber },
    });
    expect(tokenMatchesHash(delivery!.token!, row!.rackbeatWebhookTokenHash!)).toBe(true);
  });

  it("a test invoice needs a connected Rackbeat account", async () => {
    expect(await sendTestInvoice(t.db, await newCompany(), options)).toEqual({
      ok: false,
      error: "rackbeatNotConnected",
    });
  });
});
