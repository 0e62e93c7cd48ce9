import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies, companyIntegrations, settingsChanges, users } from "@/db/schema";
import { encryptSecret, hashToken } from "@/lib/crypto/secrets";
import type { ExternalUrls } from "@/lib/env";
import { createEconomicSandbox } from "@/lib/sandbox/economic/handler";
import { createRackbeatSandbox } from "@/lib/sandbox/rackbeat/router";
import { type CustomerInvoiceSettings, defaultSettings } from "@/lib/settings/schema";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import {
  accountsRequiredWhileActive,
  activationGaps,
  setActivated,
  storedActivationGaps,
} from "./activation";

const withAccounts: CustomerInvoiceSettings = {
  ...defaultSettings,
  debtorIntegration: true,
  customerGroupAccount: 5600,
  productGroupAccounts: { domestic: 1010, eu: 1025, abroad: 1020, domesticExempt: 1015 },
};

describe("activation gaps from stored data", () => {
  it("lists everything missing for a company with nothing connected", () => {
    expect(storedActivationGaps(undefined, { ...defaultSettings, debtorIntegration: true })).toEqual([
      { code: "economic_not_connected" },
      { code: "rackbeat_not_connected" },
      { code: "default_layout_missing" },
      { code: "default_payment_terms_missing" },
      { code: "customer_group_account_missing" },
      { code: "product_group_accounts_missing", zones: ["domestic", "eu", "abroad", "domesticExempt"] },
    ]);
  });

  it("needs no accounts while debtor integration is off, but the webhook once Rackbeat is connected", () => {
    const integration = {
      economicGrantTokenEnc: "x",
      rackbeatApiKeyEnc: "y",
      rackbeatWebhookId: null,
      rackbeatWebhookTokenHash: null,
      defaultLayoutNumber: 19,
      defaultPaymentTermsNumber: 1,
    };
    expect(storedActivationGaps(integration, defaultSettings)).toEqual([
      { code: "rackbeat_webhook_missing" },
    ]);
    expect(
      storedActivationGaps(
        { ...integration, rackbeatWebhookId: "7", rackbeatWebhookTokenHash: "abc" },
        { ...withAccounts, productGroupAccounts: { ...withAccounts.productGroupAccounts, eu: null } },
      ),
    ).toEqual([{ code: "product_group_accounts_missing", zones: ["eu"] }]);
  });
});

describe.each(dbKinds)("activation checks against the sandboxes on %s", (kind) => {
  let t: TestDb;
  let economic: TestServer;
  let rackbeat: TestServer;
  let urls: ExternalUrls;

  beforeAll(async () => {
    t = await createTestDb(kind);
    economic = await serve(createEconomicSandbox({ db: async () => t.db }));
    rackbeat = await serve(createRackbeatSandbox({ db: async () => t.db }));
    const base = `${economic.url}/sandbox/economic`;
    urls = {
      economicRest: base,
      economicProducts: `${base}/productsapi/v1.1.0`,
      economicProjects: `${base}/projectsapi/v1.1.0`,
      economicGrant: `${base}/requestaccess`,
      rackbeat: `${rackbeat.url}/sandbox/rackbeat/api`,
    };
  });
  afterAll(async () => {
    await economic?.close();
    await rackbeat?.close();
    await t?.close();
  });

  async function connected() {
    const agreement = (await (await fetch(`${urls.economicRest}/agreements`, { method: "POST" })).json()) as {
      agreementGrantToken: string;
    };
    const account = (await (
      await fetch(`${rackbeat.url}/sandbox/rackbeat/accounts`, { method: "POST" })
    ).json()) as {
      apiKey: string;
    };
    const [company] = await t.db.insert(companies).values({ name: "Aktiv ApS" }).returning();
    const [row] = await t.db
      .insert(companyIntegrations)
      .values({
        companyId: company!.id,
        economicGrantTokenEnc: encryptSecret(agreement.agreementGrantToken),
        rackbeatApiKeyEnc: encryptSecret(account.apiKey),
        rackbeatWebhookId: "1",
        rackbeatWebhookTokenHash: hashToken("webhook-token"),
        defaultLayoutNumber: 19,
        defaultPaymentTermsNumber: 1,
      })
      .returning();
    return { ...row!, rackbeatApiKey: account.apiKey };
  }

  async function rackbeatFault(apiKey: string, fault: Record<string, unknown>) {
    const res = await fetch(`${urls.rackbeat}/sandbox/faults`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(fault),
    });
    expect(res.status).toBe(201);
  }

  it("accepts a fully connected company with its accounts chosen", async () => {
    const integration = await connected();
    expect(await activationGaps(integration, withAccounts, { urls })).toEqual([]);
  });

  it("reports credentials the systems refuse", async () => {
    const integration = await connected();
    const broken = {
      ...integration,
      economicGrantTokenEnc: encryptSecret("revoked-grant"),
      rackbeatApiKeyEnc: encryptSecret("revoked-key"),
    };
    expect(await activationGaps(broken, withAccounts, { urls })).toEqual([
      { code: "economic_refused" },
      { code: "rackbeat_refused" },
    ]);
  });

  it("waits out a slow Rackbeat: a first answer past the time-out is tried again", async () => {
    const integration = await connected();
    await rackbeatFault(integration.rackbeatApiKey, { path: "/self", delayMs: 1500, times: 1 });
    expect(await activationGaps(integration, withAccounts, { urls, timeoutMs: 500 })).toEqual([]);
  });

  it("tells a Rackbeat that keeps failing apart from a refused key", async () => {
    const integration = await connected();
    await rackbeatFault(integration.rackbeatApiKey, { respond: 503, times: 10 });
    expect(await activationGaps(integration, withAccounts, { urls, timeoutMs: 500 })).toEqual([
      { code: "rackbeat_unreachable" },
    ]);
  });

  it("writes switching on and off to the settings history, once per real change", async () => {
    const integration = await connected();
    const [user] = await t.db
      .insert(users)
      .values({ email: `aktiv-${Date.now()}@example.com`, name: "Anna Admin", passwordHash: "x" })
      .returning();
    const by = { userId: user!.id, userName: "Anna Admin" };
    expect(await setActivated(t.db, integration.companyId, true, by)).toBe(true);
    expect(await setActivated(t.db, integration.companyId, true, by)).toBe(true);
    expect(await setActivated(t.db, integration.companyId, false, by)).toBe(true);
    const rows = await t.db
      .select()
      .from(settingsChanges)
      .where(eq(settingsChanges.companyId, integration.companyId))
      .orderBy(settingsChanges.id);
    expect(rows.map((r) => [r.key, r.oldValue, r.newValue, r.userName])).toEqual([
      ["integrationActivated", false, true, "Anna Admin"],
      ["integrationActivated", true, false, "Anna Admin"],
    ]);
  });

  it("switches the company's integration on and off", async () => {
    const integration = await connected();
    expect(await setActivated(t.db, integration.companyId, true)).toBe(true);
    const [on] = await t.db
      .select()
      .from(companyIntegrations)
      .where(eq(companyIntegrations.companyId, integration.companyId));
    expect(on?.activated).toBe(true);
    expect(on?.activatedAt).toBeInstanceOf(Date);
    expect(await setActivated(t.db, integration.companyId, false)).toBe(true);
    const [off] = await t.db
      .select()
      .from(companyIntegrations)
      .where(eq(companyIntegrations.companyId, integration.companyId));
    expect(off?.activated).toBe(false);
    expect(off?.activatedAt).toBeNull();
    const [other] = await t.db.insert(companies).values({ name: "Uden forbindelse ApS" }).returning();
    expect(await setActivated(t.db, other!.id, true)).toBe(false);
  });
});

describe("accounts required while active", () => {
  it("names every missing account field only when debtor integration is on", () => {
    const off = { ...defaultSettings, debtorIntegration: false };
    expect(accountsRequiredWhileActive(off)).toEqual([]);
    const on = {
      ...defaultSettings,
      debtorIntegration: true,
      customerGroupAccount: 5600,
      productGroupAccounts: { domestic: 1010, eu: null, abroad: 1020, domesticExempt: null },
    };
    expect(accountsRequiredWhileActive(on)).toEqual([
      "productGroupAccounts.eu",
      "productGroupAccounts.domesticExempt",
    ]);
    expect(accountsRequiredWhileActive({ ...on, customerGroupAccount: null })[0]).toBe(
      "customerGroupAccount",
    );
  });
});
