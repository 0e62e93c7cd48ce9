/**
 * A bench company over HTTP, as a customer's would be: an agreement in the e-conomic sandbox, an
 * account in the Rackbeat sandbox with our webhook registered, and the company's integration row
 * (encrypted with this process's ENCRYPTION_KEY, which the server under test must share: BENCH_SECRETS).
 * Used by bench:transfer and bench:wakeup.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { companies, companyIntegrations, companySettings } from "@/db/schema";
import { encryptSecret, hashToken, secretHint } from "@/lib/crypto/secrets";
import { resetEnvCache } from "@/lib/env";
import { RackbeatClient } from "@/lib/rackbeat";
import { RACKBEAT_INVOICE_BOOKED_EVENT } from "@/lib/rackbeat/webhook";
import { testSettings } from "@/test/support/sandboxes";
import type { Sandbox } from "./support";

// Production needs these secrets; the bench makes its own (the bench writes encrypted API keys the
// server must read, so both use the same key).
export const BENCH_SECRETS = {
  AUTH_SECRET: randomBytes(24).toString("hex"),
  ENCRYPTION_KEY: randomBytes(24).toString("hex"),
  ECONOMIC_APP_SECRET_TOKEN: "sandbox",
};
Object.assign(process.env, BENCH_SECRETS);
resetEnvCache();

export interface Company {
  companyId: string;
  rackbeat: RackbeatClient;
  post(path: string, body: unknown): Promise<unknown>;
}

export async function createCompany(
  db: Db,
  sandbox: Sandbox,
  serverUrl: string,
  index: number,
  /** Every e-conomic call of this company's agreement answered after this many ms (a sandbox fault plan). */
  economicDelayMs = 0,
): Promise<Company> {
  const name = `Bench ${index} ApS`;
  const json = async (res: Response) => {
    if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const agreement = (await json(
    await fetch(`${sandbox.url}/sandbox/economic/agreements`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ companyName: name }),
    }),
  )) as { agreementGrantToken: string; agreementNumber: number; companyName: string };
  const account = (await json(
    await fetch(`${sandbox.url}/sandbox/rackbeat/accounts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    }),
  )) as { apiKey: string; accountId: number };
  const rackbeat = new RackbeatClient({
    apiKey: account.apiKey,
    consumer: { name: "bench", contact: "bench@example.com" },
    baseUrl: sandbox.env.RACKBEAT_API_URL!,
  });
  const webhook = await rackbeat.registerWebhookWithToken({
    event: RACKBEAT_INVOICE_BOOKED_EVENT,
    url: `${serverUrl}/api/rackbeat/webhooks`,
  });
  const [company] = await db.insert(companies).values({ name }).returning();
  const companyId = company!.id;
  await db.insert(companyIntegrations).values({
    companyId,
    economicGrantTokenEnc: encryptSecret(agreement.agreementGrantToken),
    economicGrantTokenHint: secretHint(agreement.agreementGrantToken),
    economicAgreementNumber: agreement.agreementNumber,
    economicCompanyName: agreement.companyName,
    rackbeatApiKeyEnc: encryptSecret(account.apiKey),
    rackbeatApiKeyHint: secretHint(account.apiKey),
    rackbeatAccountId: String(account.accountId),
    rackbeatAccountName: name,
    rackbeatWebhookId: String(webhook.id),
    rackbeatWebhookTokenHash: hashToken(webhook.token),
    rackbeatWebhookEvents: [RACKBEAT_INVOICE_BOOKED_EVENT],
    defaultLayoutNumber: 19,
    defaultPaymentTermsNumber: 1,
    senderEmail: "faktura@bench.dk",
    activated: true,
    activatedAt: new Date(),
  });
  await db
    .insert(companySettings)
    .values({ companyId, version: 1, values: { ...testSettings, bookWhenBookedInRackbeat: true } });
  const post = async (path: string, body: unknown) =>
    json(
      await fetch(`${sandbox.env.RACKBEAT_API_URL}${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${account.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  if (economicDelayMs > 0) {
    const res = await fetch(
      `${sandbox.url}/sandbox/economic/agreements/${encodeURIComponent(agreement.agreementGrantToken)}/faults`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ delayMs: economicDelayMs }),
      },
    );
    await json(res);
  }
  return { companyId, rackbeat, post };
}
