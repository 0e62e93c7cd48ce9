import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import { decryptSecret } from "@/lib/crypto/secrets";
import { externalUrls } from "@/lib/env";
import { loadIntegration, RACKBEAT_CONSUMER } from "./clients";
import { connectEconomic } from "./connect-economic";
import { connectRackbeat, type RackbeatConnectFailure } from "./connect-rackbeat";
import { loadDefaultChoices, saveDefaults } from "./defaults";
import type { ConnectionFailure } from "./failures";
import { appUrlOf, type IntegrationOptions } from "./options";

// Sandbox mode only (callers check `isSandboxMode()`): one click to a fully connected company, and a
// test invoice booked in the Rackbeat sandbox so its webhook reaches us. The Rackbeat client only
// reads, so creating and booking invoices is a small fetch wrapper here.

/** A sandbox admin or API call failed; `status` is undefined when no answer arrived. */
export class SandboxSetupError extends Error {
  override readonly name = "SandboxSetupError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function sandboxJson<T>(
  schema: z.ZodType<T>,
  url: string,
  init: { method: "POST"; headers?: Record<string, string>; body?: unknown },
  options: IntegrationOptions,
): Promise<T> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: init.method,
      headers: { Accept: "application/json", "Content-Type": "application/json", ...init.headers },
      body: JSON.stringify(init.body ?? {}),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new SandboxSetupError(`${init.method} ${url} failed: ${String(cause)}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new SandboxSetupError(
      `${init.method} ${url} answered ${response.status}: ${text.slice(0, 200)}`,
      response.status,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SandboxSetupError(`${init.method} ${url}: answer is not JSON`, response.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new SandboxSetupError(`${init.method} ${url}: unexpected answer`, response.status);
  return parsed.data;
}

const agreementSchema = z.object({
  agreementGrantToken: z.string().min(1),
  agreementNumber: z.number().int(),
  companyName: z.string(),
});

const accountSchema = z.object({ apiKey: z.string().min(1), accountId: z.union([z.number(), z.string()]) });

/** `POST {APP_URL}/sandbox/economic/agreements`: a new seeded e-conomic sandbox agreement. */
export function createSandboxAgreement(options: IntegrationOptions = {}) {
  return sandboxJson(
    agreementSchema,
    `${appUrlOf(options)}/sandbox/economic/agreements`,
    { method: "POST" },
    options,
  );
}

/** `POST {APP_URL}/sandbox/rackbeat/accounts`: a new seeded Rackbeat sandbox account. */
export function createSandboxRackbeatAccount(options: IntegrationOptions = {}) {
  return sandboxJson(
    accountSchema,
    `${appUrlOf(options)}/sandbox/rackbeat/accounts`,
    { method: "POST" },
    options,
  );
}

export type ConnectSandboxResult =
  | { ok: true; economicCompanyName: string | null; rackbeatAccountName: string }
  | { ok: false; step: "sandbox" }
  | { ok: false; step: "economic"; error: ConnectionFailure }
  | { ok: false; step: "rackbeat"; error: RackbeatConnectFailure }
  | { ok: false; step: "defaults" };

/**
 * Creates a sandbox agreement and a sandbox Rackbeat account and connects both through the same
 * code as a pasted token and key, then picks the first layout and payment terms as defaults and
 * the given address as sender e-mail.
 */
export async function connectSandbox(
  db: Db,
  companyId: string,
  input: { senderEmail: string },
  options: IntegrationOptions = {},
): Promise<ConnectSandboxResult> {
  let agreement: z.infer<typeof agreementSchema>;
  let account: z.infer<typeof accountSchema>;
  try {
    [agreement, account] = await Promise.all([
      createSandboxAgreement(options),
      createSandboxRackbeatAccount(options),
    ]);
  } catch (error) {
    if (error instanceof SandboxSetupError) return { ok: false, step: "sandbox" };
    throw error;
  }
  const economic = await connectEconomic(
    db,
    companyId,
    { agreementGrantToken: agreement.agreementGrantToken },
    options,
  );
  if (!economic.ok) return { ok: false, step: "economic", error: economic.error };
  const rackbeat = await connectRackbeat(db, companyId, { apiKey: account.apiKey }, options);
  if (!rackbeat.ok) return { ok: false, step: "rackbeat", error: rackbeat.error };
  const choices = await loadDefaultChoices(db, companyId, options);
  const layout = choices.status === "ok" ? choices.layouts[0] : undefined;
  const terms = choices.status === "ok" ? choices.paymentTerms[0] : undefined;
  if (!layout || !terms) return { ok: false, step: "defaults" };
  const saved = await saveDefaults(
    db,
    companyId,
    {
      defaultLayoutNumber: layout.number,
      defaultPaymentTermsNumber: terms.number,
      senderEmail: input.senderEmail,
    },
    options,
  );
  if (!saved.ok) return { ok: false, step: "defaults" };
  return { ok: true, economicCompanyName: economic.companyName, rackbeatAccountName: rackbeat.accountName };
}

/** A seeded sandbox customer (Bageriet Kornblomsten ApS, domestic) and two seeded products. */
export const TEST_INVOICE = {
  customer_id: 101,
  heading: "Testfaktura fra opsætningsguiden",
  lines: [
    { child_id: "KAF-100", quantity: 2 },
    { child_id: "OST-001", quantity: "1.25" },
  ],
} as const;

const invoiceSchema = z.object({
  customer_invoice: z.looseObject({ number: z.union([z.number(), z.string()]).transform(String) }),
});

export type SendTestInvoiceResult =
  | { ok: true; invoiceNumber: string }
  | { ok: false; error: "rackbeatNotConnected" | "failed" };

/**
 * Creates a draft customer invoice in the Rackbeat sandbox with the company's key and books it;
 * booking delivers the `invoice.booked` webhook to us as Rackbeat would.
 */
export async function sendTestInvoice(
  db: Db,
  companyId: string,
  options: IntegrationOptions = {},
): Promise<SendTestInvoiceResult> {
  const integration = await loadIntegration(db, companyId);
  if (!integration?.rackbeatApiKeyEnc) return { ok: false, error: "rackbeatNotConnected" };
  const base = (options.urls ?? externalUrls()).rackbeat;
  const headers = {
    Authorization: `Bearer ${decryptSecret(integration.rackbeatApiKeyEnc)}`,
    "Consumer-Name": RACKBEAT_CONSUMER.name,
    "Consumer-Contact": RACKBEAT_CONSUMER.contact,
  };
  const today = new Date().toISOString().slice(0, 10);
  try {
    const created = await sandboxJson(
      invoiceSchema,
      `${base}/customer-invoices`,
      { method: "POST", headers, body: { ...TEST_INVOICE, date: today } },
      options,
    );
    const number = created.customer_invoice.number;
    await sandboxJson(
      invoiceSchema,
      `${base}/customer-invoices/${encodeURIComponent(number)}/book`,
      { method: "POST", headers },
      options,
    );
    return { ok: true, invoiceNumber: number };
  } catch (error) {
    if (error instanceof SandboxSetupError) return { ok: false, error: "failed" };
    throw error;
  }
}
