import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies } from "@/db/schema";
import { encryptSecret, secretHint } from "@/lib/crypto/secrets";
import type { CallInfo } from "@/lib/economic";
import type { ExternalUrls } from "@/lib/env";
import { createEconomicSandbox } from "@/lib/sandbox/economic/handler";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { CHART_CACHE_TTL_MS, forgetChartOfAccounts, loadChartOfAccounts } from "./chart-of-accounts";

/* The account pickers' chart: from the e-conomic sandbox over HTTP, cached per company and agreement. */

describe.each(dbKinds)("chart of accounts on %s", (kind) => {
  let t: TestDb;
  let server: TestServer;
  let urls: ExternalUrls;

  beforeAll(async () => {
    t = await createTestDb(kind);
    server = await serve(createEconomicSandbox({ db: async () => t.db }));
    const base = `${server.url}/sandbox/economic`;
    urls = {
      economicRest: base,
      economicProducts: `${base}/productsapi/v1.1.0`,
      economicProjects: `${base}/projectsapi/v1.1.0`,
      economicGrant: `${base}/requestaccess`,
      rackbeat: `${server.url}/unused`,
    };
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  async function connectedCompany() {
    const res = await fetch(`${urls.economicRest}/agreements`, { method: "POST" });
    const { agreementGrantToken, agreementNumber } = (await res.json()) as {
      agreementGrantToken: string;
      agreementNumber: number;
    };
    const [company] = await t.db.insert(companies).values({ name: "Kontoplan ApS" }).returning();
    return {
      companyId: company!.id,
      economicGrantTokenEnc: encryptSecret(agreementGrantToken),
      economicGrantTokenHint: secretHint(agreementGrantToken),
      economicAgreementNumber: agreementNumber,
    };
  }

  it("loads the whole chart with types and barred flags, then serves it from the cache", async () => {
    const integration = await connectedCompany();
    const calls: CallInfo[] = [];
    const options = { urls, onEconomicCall: (info: CallInfo) => calls.push(info) };
    const first = await loadChartOfAccounts(integration, options);
    expect(first.status).toBe("ok");
    if (first.status !== "ok") return;
    expect(first.accounts.find((a) => a.accountNumber === 5600)).toEqual({
      accountNumber: 5600,
      name: "Debitorer",
      accountType: "status",
      barred: false,
    });
    expect(first.accounts.find((a) => a.accountNumber === 1090)?.barred).toBe(true);
    const callsAfterFirst = calls.length;
    expect(callsAfterFirst).toBeGreaterThan(0);

    const second = await loadChartOfAccounts(integration, options);
    expect(second).toEqual(first);
    expect(calls).toHaveLength(callsAfterFirst);

    await loadChartOfAccounts(integration, { ...options, refresh: true });
    expect(calls.length).toBeGreaterThan(callsAfterFirst);
  });

  it("fetches again after the cache expires or is forgotten, and loads concurrent requests once", async () => {
    const integration = await connectedCompany();
    let calls = 0;
    let now = 1_000_000;
    const options = { urls, onEconomicCall: () => void calls++, now: () => now };
    await Promise.all([loadChartOfAccounts(integration, options), loadChartOfAccounts(integration, options)]);
    const once = calls;
    now += CHART_CACHE_TTL_MS - 1;
    await loadChartOfAccounts(integration, options);
    expect(calls).toBe(once);
    now += 2;
    await loadChartOfAccounts(integration, options);
    expect(calls).toBe(once * 2);
    forgetChartOfAccounts(integration.companyId);
    await loadChartOfAccounts(integration, options);
    expect(calls).toBe(once * 3);
  });

  it("says not connected without a token, and unavailable when e-conomic refuses it", async () => {
    expect(await loadChartOfAccounts(undefined, { urls })).toEqual({ status: "not_connected" });
    const integration = await connectedCompany();
    expect(await loadChartOfAccounts({ ...integration, economicGrantTokenEnc: null }, { urls })).toEqual({
      status: "not_connected",
    });
    const wrong = {
      ...integration,
      economicGrantTokenEnc: encryptSecret("no-such-grant"),
      economicGrantTokenHint: "such-grant",
    };
    expect(await loadChartOfAccounts(wrong, { urls })).toEqual({ status: "unavailable" });
  });
});
