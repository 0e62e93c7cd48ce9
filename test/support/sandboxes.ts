import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  companies,
  companyIntegrations,
  companySettings,
  economicCalls,
  type Transfer,
  transfers,
} from "@/db/schema";
import { encryptSecret, hashToken, secretHint } from "@/lib/crypto/secrets";
import {
  type EconomicBookedInvoice,
  EconomicClient,
  type EconomicDraftInvoice,
  EconomicError,
} from "@/lib/economic";
import type { ExternalUrls } from "@/lib/env";
import { receiveRackbeatWebhook } from "@/lib/intake/receive-webhook";
import { RackbeatClient } from "@/lib/rackbeat";
import { RACKBEAT_INVOICE_BOOKED_EVENT } from "@/lib/rackbeat/webhook";
import { createEconomicSandbox } from "@/lib/sandbox/economic/handler";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "@/lib/sandbox/rackbeat";
import { type CustomerInvoiceSettings, defaultSettings } from "@/lib/settings/schema";
import { mapCustomer } from "@/lib/transfer/map-invoice";
import { type FetchHandler, serve } from "./http";

/**
 * Both sandboxes and the webhook intake on one real HTTP server, for end-to-end-style tests and the
 * benchmark: book an invoice in the Rackbeat sandbox, its webhook reaches the intake, a worker
 * transfers it to the e-conomic sandbox, and the test reads e-conomic's state back over HTTP.
 */

export const WEBHOOK_PATH = "/api/rackbeat/webhooks";

/** Settings that create everything and transfer drafts; tests override what they exercise. */
export const testSettings: CustomerInvoiceSettings = {
  ...defaultSettings,
  debtorIntegration: true,
  customerGroupAccount: 5600,
  productGroupAccounts: { domestic: 1010, eu: 1025, abroad: 1020, domesticExempt: 1015 },
};

export interface InvoiceLineInput {
  child_id: string;
  quantity: string | number;
  line_price?: string | number;
  discount_percentage?: string | number;
  /** Rackbeat's own VAT percentage for the line (default: the product group's for the zone). */
  vat_percentage?: string | number;
  name?: string;
}

export interface InvoiceInput {
  customer_id: number;
  number?: string;
  date?: string;
  due_date?: string;
  currency?: string;
  currency_rate?: string | number;
  heading?: string;
  order?: { number: string };
  project?: { number: string };
  lines: InvoiceLineInput[];
}

export interface SandboxCompany {
  companyId: string;
  grantToken: string;
  agreementNumber: number;
  rackbeatApiKey: string;
  rackbeatAccountId: number;
  /** A client of the company's e-conomic agreement, for checking state (not counted anywhere). */
  economic: EconomicClient;
  rackbeat: RackbeatClient;
  /** The registered webhook's token (Rackbeat shows it once), to deliver by hand. */
  webhookToken?: string;
  /** POSTs a webhook delivery for an invoice to the intake, as Rackbeat does; returns the status. */
  deliver(number: string): Promise<number>;
  /** Creates an invoice in the Rackbeat sandbox and books it (which delivers the webhook). */
  bookInvoice(input: InvoiceInput, options?: { suppressWebhooks?: boolean }): Promise<string>;
  createInvoice(input: InvoiceInput): Promise<string>;
  book(number: string, options?: { suppressWebhooks?: boolean }): Promise<void>;
  /** POST to the Rackbeat sandbox API (customers, products, projects, ...). */
  rackbeatPost(path: string, body: unknown): Promise<unknown>;
  /** Appends rules to the agreement's fault plan; `clearFaults` empties it. */
  setFaults(plan: unknown): Promise<void>;
  clearFaults(): Promise<void>;
  /** The Rackbeat sandbox account's faults (`{"dropWebhooks":0.3}`, ...); `clearRackbeatFaults` resets. */
  setRackbeatFaults(faults: unknown): Promise<void>;
  clearRackbeatFaults(): Promise<void>;
  invoices(): Promise<{ drafts: EconomicDraftInvoice[]; booked: EconomicBookedInvoice[] }>;
  countInvoices(): Promise<{ drafts: number; booked: number }>;
  saveSettings(values: Partial<CustomerInvoiceSettings>): Promise<void>;
  /**
   * Creates Rackbeat customers and products in e-conomic (with their groups) as the engine would,
   * through e-conomic's API: master data that exists there before the company's first transfer.
   */
  seedEconomicMasterData(input: { customers?: number[]; products?: string[] }): Promise<void>;
}

export interface CompanyOptions {
  name?: string;
  settings?: Partial<CustomerInvoiceSettings>;
  activated?: boolean;
  senderEmail?: string | null;
  defaultLayoutNumber?: number;
  defaultPaymentTermsNumber?: number;
  /** Registers the webhook (default true). */
  webhook?: boolean;
}

export interface Sandboxes {
  url: string;
  urls: ExternalUrls;
  rackbeatSandbox: RackbeatSandboxHandler;
  createCompany(options?: CompanyOptions): Promise<SandboxCompany>;
  /** Webhook deliveries the intake answered, by status. */
  intakeStatuses: Map<number, number>;
  close(): Promise<void>;
}

/** A transfer that will not change any more without a new delivery or a manual retry. */
export function isSettled(t: Transfer | undefined): boolean {
  return (
    t !== undefined &&
    (t.status === "draft" ||
      t.status === "booked" ||
      t.status === "skipped" ||
      (t.status === "failed" && t.nextAttemptAt === null))
  );
}

export async function transferOf(db: Db, companyId: string, number: string): Promise<Transfer | undefined> {
  const [row] = await db
    .select()
    .from(transfers)
    .where(and(eq(transfers.companyId, companyId), eq(transfers.rackbeatInvoiceNumber, number)));
  return row;
}

/** Polls until the transfer of a Rackbeat invoice has settled. */
export async function waitForTransfer(
  db: Db,
  companyId: string,
  number: string,
  timeoutMs = 30_000,
): Promise<Transfer> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await transferOf(db, companyId, number);
    if (row && isSettled(row)) return row;
    if (Date.now() > until)
      throw new Error(`transfer ${number} did not finish: ${JSON.stringify(row?.status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The e-conomic calls a transfer made, oldest first, as "METHOD path status". */
export async function economicCallsOf(db: Db, transferId: string): Promise<string[]> {
  const rows = await db
    .select({ method: economicCalls.method, path: economicCalls.path, status: economicCalls.status })
    .from(economicCalls)
    .where(eq(economicCalls.transferId, transferId))
    .orderBy(asc(economicCalls.id));
  return rows.map((r) => `${r.method} ${r.path} ${r.status ?? "-"}`);
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** Creates unless e-conomic already has it (a 400 on the number field). */
async function createUnlessExists(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (
      !(
        error instanceof EconomicError &&
        error.status === 400 &&
        /already exists/i.test(JSON.stringify(error.fieldErrors))
      )
    )
      throw error;
  }
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * The integration row's connection columns for a sandbox agreement, a Rackbeat account and its
 * invoice webhook (none: not registered), secrets encrypted as the app keeps them. Shared with the
 * benches (bench/company.ts).
 */
export function sandboxConnection(
  agreement: { agreementGrantToken: string; agreementNumber: number; companyName: string },
  account: { apiKey: string; accountId: number },
  accountName: string,
  webhook: { id: number | string; token: string } | undefined,
) {
  return {
    economicGrantTokenEnc: encryptSecret(agreement.agreementGrantToken),
    economicGrantTokenHint: secretHint(agreement.agreementGrantToken),
    economicAgreementNumber: agreement.agreementNumber,
    economicCompanyName: agreement.companyName,
    rackbeatApiKeyEnc: encryptSecret(account.apiKey),
    rackbeatApiKeyHint: secretHint(account.apiKey),
    rackbeatAccountId: String(account.accountId),
    rackbeatAccountName: accountName,
    rackbeatWebhookId: webhook ? String(webhook.id) : null,
    rackbeatWebhookTokenHash: webhook ? hashToken(webhook.token) : null,
    rackbeatWebhookEvents: webhook ? [RACKBEAT_INVOICE_BOOKED_EVENT] : [],
  };
}

export async function startSandboxes(
  db: Db,
  options: { webhookRetryDelaysMs?: number[] } = {},
): Promise<Sandboxes> {
  const economic = createEconomicSandbox({ db: async () => db });
  const rackbeatSandbox = createRackbeatSandbox({
    db: async () => db,
    webhooks: { retryDelaysMs: options.webhookRetryDelaysMs ?? [200, 1000, 3000], concurrency: 32 },
  });
  // The production intake, so these tests cover the same path as Rackbeat's deliveries.
  const intake: FetchHandler = (request) => receiveRackbeatWebhook(db, request);
  const intakeStatuses = new Map<number, number>();
  const server = await serve(async (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/sandbox/economic")) return economic(request);
    if (path.startsWith("/sandbox/rackbeat")) return rackbeatSandbox(request);
    if (path === WEBHOOK_PATH && request.method === "POST") {
      const response = await intake(request);
      intakeStatuses.set(response.status, (intakeStatuses.get(response.status) ?? 0) + 1);
      return response;
    }
    return new Response("not found", { status: 404 });
  });
  const base = server.url;
  const urls: ExternalUrls = {
    economicRest: `${base}/sandbox/economic`,
    economicProducts: `${base}/sandbox/economic/productsapi/v1.1.0`,
    economicProjects: `${base}/sandbox/economic/projectsapi/v1.1.0`,
    economicGrant: `${base}/sandbox/economic/requestaccess`,
    rackbeat: `${base}/sandbox/rackbeat/api`,
  };

  async function createCompany(companyOptions: CompanyOptions = {}): Promise<SandboxCompany> {
    const name = companyOptions.name ?? `Testfirma ${Math.random().toString(36).slice(2, 8)}`;
    const [company] = await db.insert(companies).values({ name }).returning();
    const companyId = company!.id;
    const agreement = (await expectOk(
      await fetch(`${base}/sandbox/economic/agreements`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ companyName: name }),
      }),
      "create agreement",
    )) as { agreementGrantToken: string; agreementNumber: number; companyName: string };
    const account = (await expectOk(
      await fetch(`${base}/sandbox/rackbeat/accounts`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name }),
      }),
      "create Rackbeat account",
    )) as { apiKey: string; accountId: number };
    const rackbeat = new RackbeatClient({
      apiKey: account.apiKey,
      consumer: { name: "test", contact: "test@example.com" },
      baseUrl: urls.rackbeat,
    });
    const webhook =
      companyOptions.webhook === false
        ? undefined
        : await rackbeat.registerWebhookWithToken({
            event: RACKBEAT_INVOICE_BOOKED_EVENT,
            url: `${base}${WEBHOOK_PATH}`,
          });
    await db.insert(companyIntegrations).values({
      companyId,
      ...sandboxConnection(agreement, account, name, webhook),
      defaultLayoutNumber: companyOptions.defaultLayoutNumber ?? 19,
      defaultPaymentTermsNumber: companyOptions.defaultPaymentTermsNumber ?? 1,
      senderEmail:
        companyOptions.senderEmail === undefined ? "faktura@testfirma.dk" : companyOptions.senderEmail,
      activated: companyOptions.activated ?? true,
      activatedAt: companyOptions.activated === false ? null : new Date(),
    });
    let version = 0;
    const saveSettings = async (values: Partial<CustomerInvoiceSettings>) => {
      version += 1;
      const merged = { ...testSettings, ...values };
      await db
        .insert(companySettings)
        .values({ companyId, version, values: merged })
        .onConflictDoUpdate({ target: companySettings.companyId, set: { values: merged, version } });
    };
    await saveSettings(companyOptions.settings ?? {});

    const economicClient = new EconomicClient({
      restBase: urls.economicRest,
      productsBase: urls.economicProducts,
      projectsBase: urls.economicProjects,
      appSecretToken: "sandbox",
      agreementGrantToken: agreement.agreementGrantToken,
    });
    const rackbeatPost = async (path: string, body: unknown) =>
      expectOk(
        await fetch(`${urls.rackbeat}${path}`, {
          method: "POST",
          headers: { Authorization: `Bearer ${account.apiKey}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }),
        `POST ${path}`,
      );
    const createInvoice = async (input: InvoiceInput) => {
      const created = (await rackbeatPost("/customer-invoices", input)) as {
        customer_invoice: { number: string };
      };
      return created.customer_invoice.number;
    };
    const book = async (number: string, bookOptions: { suppressWebhooks?: boolean } = {}) => {
      await rackbeatPost(`/customer-invoices/${encodeURIComponent(number)}/book`, {
        suppress_webhooks: bookOptions.suppressWebhooks === true,
      });
    };
    const faultsUrl = `${base}/sandbox/economic/agreements/${agreement.agreementGrantToken}/faults`;
    const rackbeatFaultsUrl = `${base}/sandbox/rackbeat/accounts/${account.accountId}/faults`;
    const rackbeatFaults = async (method: "POST" | "DELETE", body?: unknown) => {
      await expectOk(
        await fetch(rackbeatFaultsUrl, {
          method,
          headers: { Authorization: `Bearer ${account.apiKey}`, "Content-Type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        "set Rackbeat faults",
      );
    };
    const invoices = async () => {
      const [drafts, booked] = await Promise.all([
        economicClient.draftInvoices.all(),
        economicClient.bookedInvoices.all(),
      ]);
      return { drafts, booked };
    };
    return {
      companyId,
      grantToken: agreement.agreementGrantToken,
      agreementNumber: agreement.agreementNumber,
      rackbeatApiKey: account.apiKey,
      rackbeatAccountId: account.accountId,
      economic: economicClient,
      rackbeat,
      ...(webhook ? { webhookToken: webhook.token } : {}),
      deliver: async (number) => {
        const response = await fetch(`${base}${WEBHOOK_PATH}`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "User-Agent": "Rackbeat Webhook",
            "Rackbeat-Webhook-Token": webhook?.token ?? "",
            "Rackbeat-Webhook-Event": RACKBEAT_INVOICE_BOOKED_EVENT,
            "Rackbeat-Account-Id": String(account.accountId),
          },
          body: JSON.stringify({ key_name: "number", key: number }),
        });
        await response.arrayBuffer();
        return response.status;
      },
      rackbeatPost,
      createInvoice,
      book,
      bookInvoice: async (input, bookOptions) => {
        const number = await createInvoice(input);
        await book(number, bookOptions);
        return number;
      },
      setFaults: async (plan) => {
        await expectOk(
          await fetch(faultsUrl, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(plan),
          }),
          "set faults",
        );
      },
      clearFaults: async () => {
        await expectOk(await fetch(faultsUrl, { method: "DELETE" }), "clear faults");
      },
      setRackbeatFaults: (faults) => rackbeatFaults("POST", faults),
      clearRackbeatFaults: () => rackbeatFaults("DELETE"),
      invoices,
      countInvoices: async () => {
        const { drafts, booked } = await invoices();
        return { drafts: drafts.length, booked: booked.length };
      },
      saveSettings,
      seedEconomicMasterData: async ({ customers = [], products = [] }) => {
        const rbCustomers = await Promise.all(customers.map((n) => rackbeat.getCustomer(n)));
        const rbProducts = await Promise.all(products.map((n) => rackbeat.getProduct(n)));
        const settings = { ...testSettings, ...(companyOptions.settings ?? {}) };
        const customerGroups = new Map(
          rbCustomers.flatMap((c) => (c.group ? [[c.group.number, c.group.name]] : [])),
        );
        const productGroups = new Set(rbProducts.flatMap((p) => (p.group ? [p.group.number] : [])));
        for (const [number, groupName] of customerGroups) {
          await createUnlessExists(() =>
            economicClient.customerGroups.create({
              customerGroupNumber: number,
              name: (groupName ?? `Kundegruppe ${number}`).slice(0, 50),
              account: { accountNumber: settings.customerGroupAccount ?? 5600 },
            }),
          );
        }
        for (const number of productGroups) {
          const groupName = await rackbeat.getProductGroup(number).then(
            (g) => g.name,
            () => undefined,
          );
          await createUnlessExists(() =>
            economicClient.productGroups.create({
              productGroupNumber: number,
              name: (groupName ?? `Varegruppe ${number}`).slice(0, 50),
              // One revenue account per VAT zone, as the engine creates groups: a zone without one
              // would book the domestic account's VAT.
              salesAccounts: [
                { vatZoneNumber: 1, accountNumber: settings.productGroupAccounts.domestic ?? 1010 },
                { vatZoneNumber: 2, accountNumber: settings.productGroupAccounts.eu ?? 1025 },
                { vatZoneNumber: 3, accountNumber: settings.productGroupAccounts.abroad ?? 1020 },
                { vatZoneNumber: 4, accountNumber: settings.productGroupAccounts.domesticExempt ?? 1015 },
              ],
            }),
          );
        }
        await inBatches(rbCustomers, 20, async (rb) => {
          // The fields the engine syncs, as it would write them, so no update is due afterwards.
          const c = mapCustomer(rb);
          await createUnlessExists(() =>
            economicClient.customers.create({
              customerNumber: Number(c.number),
              name: c.name.trim().slice(0, 255),
              currency: c.currency,
              customerGroup: { customerGroupNumber: c.groupNumber },
              paymentTerms: {
                paymentTermsNumber: c.paymentTermsNumber ?? companyOptions.defaultPaymentTermsNumber ?? 1,
              },
              vatZone: { vatZoneNumber: c.vatZone },
              ...(c.ean ? { ean: c.ean.slice(0, 40) } : {}),
              ...(c.cvr ? { corporateIdentificationNumber: c.cvr } : {}),
              ...(c.address ? { address: c.address } : {}),
              ...(c.zip ? { zip: c.zip } : {}),
              ...(c.city ? { city: c.city } : {}),
              ...(c.country ? { country: c.country } : {}),
              ...(c.email ? { email: c.email } : {}),
            }),
          );
        });
        await inBatches(rbProducts, 20, async (p) => {
          if (!p.group) return;
          const group = p.group.number;
          await createUnlessExists(() =>
            economicClient.products.create({
              productNumber: p.number,
              name: (p.name ?? p.number).slice(0, 300),
              productGroup: { productGroupNumber: group },
            }),
          );
        });
      },
    };
  }

  return {
    url: base,
    urls,
    rackbeatSandbox,
    createCompany,
    intakeStatuses,
    close: async () => {
      await rackbeatSandbox.idle();
      await server.close();
    },
  };
}
