import type { CompanyIntegration } from "@/db/schema";
import type { CallInfo, EconomicClient } from "@/lib/economic";
import { loadIntegration } from "@/lib/integrations/clients";
import { type Mailer, mailerFromEnv } from "@/lib/mail";
import {
  invoiceCustomerNumber,
  type RackbeatClient,
  type RackbeatCustomer,
  type RackbeatCustomerInvoice,
  RackbeatError,
} from "@/lib/rackbeat";
import { loadSettings } from "@/lib/settings/store";
import type { TransferEngineOptions } from "./attempt";
import { economicUnits } from "./economic-units";
import { economicClient, rackbeatClient } from "./engine-clients";
import { failed } from "./errors";
import { recordInvoice } from "./fetch-invoice";
import {
  type KnownEntry,
  type KnownOwner,
  type LoadedKnown,
  loadKnownMasterData,
  recordKnownMasterData,
} from "./known-master-data";
import { type LineProductInfo, lineItemNumbers, mapInvoice } from "./map-invoice";
import { ensurePaymentTermsKnown } from "./payment-terms";
import { planTransfer, truncateText } from "./plan";
import {
  customerContactKey,
  type PlanInvoice,
  type PlanSettings,
  type PlanStep,
  type TransferPlan,
} from "./plan-types";
import { agreementKeyOf, ensurePrimed } from "./prime-master-data";
import type { ClaimedTransfer, ProcessContext } from "./types";

/**
 * The first part of an attempt (run.ts): from the claimed transfer to its plan. Reads the company's
 * integration and settings, fetches the invoice (and customer, and new items) from Rackbeat, records
 * the invoice on the transfer, reads what the master-data cache knows of this e-conomic agreement
 * (priming it on the company's first transfer), and plans (plan.ts). Refuses, before anything is
 * created in e-conomic, a transfer that could not be finished (defaults missing, no way to mail it).
 * Writes nothing in e-conomic; the steps that do come after it.
 */

/** A transfer ready for its steps: the plan and everything the steps work with. */
export type PlannedTransfer = {
  kind: "planned";
  plan: Extract<TransferPlan, { kind: "transfer" }>;
  invoice: PlanInvoice;
  settings: PlanSettings;
  known: LoadedKnown;
  integration: CompanyIntegration;
  economic: EconomicClient;
  /** The company and e-conomic agreement the master-data cache is about. */
  owner: KnownOwner;
  /** The company's cache was primed: master data it lacks is created without a look-up first. */
  primed: boolean;
  mailer: Mailer | null;
  sender: string | undefined;
};

export async function loadAndPlan(
  transfer: ClaimedTransfer,
  ctx: ProcessContext,
  options: TransferEngineOptions,
  onCall: (info: CallInfo) => void,
): Promise<PlannedTransfer | { kind: "skipped"; reason: string }> {
  const { integration, rackbeat, raw, customer, settings } = await loadSource(transfer, ctx, options);
  const skip = skipReasonOf(settings);
  const economic = economicClient(integration, ctx, options, onCall);
  const owner: KnownOwner = {
    companyId: transfer.companyId,
    agreement: agreementKeyOf(integration.economicAgreementNumber),
  };
  // A company's first transfer lists its master data in bulk (one call per 1,000 records) instead
  // of looking each record up on first use; skipped transfers touch e-conomic not at all.
  const primed = skip ? false : await primeOnce(ctx, economic, owner);
  const known = await loadKnownMasterData(ctx.db, owner, {
    customerGroups: customer.group ? [customer.group.number] : [],
    customers: [customer.number],
    customerContacts: [],
    productGroups: [],
    products: lineItemNumbers(raw),
    paymentTerms: [customer.payment_terms?.number ?? settings.defaultPaymentTermsNumber],
  });
  const products = skip
    ? new Map<string, LineProductInfo>(raw.lines.map((l) => [l.child_id, { groupNumber: 0 }]))
    : await loadProductInfo(rackbeat, raw, known, ctx.signal);
  const invoice = mapInvoice(raw, products, customer, {
    defaultCustomerGroupNumber: integration.defaultCustomerGroupNumber ?? undefined,
    baseCurrency: settings.baseCurrency,
  });
  if (skip) return { kind: "skipped", reason: skip };
  await recordProductDetails(ctx, owner, products, known);
  await loadMoreKnown(ctx, owner, invoice, known);
  await completeKnown({ ctx, economic, owner, settings, invoice, known });
  const plan = planTransfer(invoice, settings, known);
  if (plan.kind === "skip") return { kind: "skipped", reason: plan.reason };
  const { mailer, sender } = checkMailable(plan, invoice, integration, options);
  return {
    kind: "planned",
    plan,
    invoice,
    settings,
    known,
    integration,
    economic,
    owner,
    primed,
    mailer,
    sender,
  };
}

/** The company's integration and settings, and the invoice and its customer from Rackbeat. */
async function loadSource(
  transfer: ClaimedTransfer,
  ctx: ProcessContext,
  options: TransferEngineOptions,
): Promise<{
  integration: CompanyIntegration;
  rackbeat: RackbeatClient;
  raw: RackbeatCustomerInvoice;
  customer: RackbeatCustomer;
  settings: PlanSettings;
}> {
  const integration = await loadIntegration(ctx.db, transfer.companyId);
  if (!integration?.economicGrantTokenEnc || !integration.rackbeatApiKeyEnc) {
    throw failed({ code: "not_connected" });
  }
  const rackbeat = rackbeatClient(integration, ctx, options);
  const raw = await rackbeat.getCustomerInvoice(transfer.rackbeatInvoiceNumber, { signal: ctx.signal });
  // Recorded first, so the review page shows the invoice whatever happens next.
  await recordInvoice(ctx, raw, transfer);
  const customer =
    raw.customer ?? (await rackbeat.getCustomer(invoiceCustomerNumber(raw), { signal: ctx.signal }));
  const { values } = await loadSettings(ctx.db, transfer.companyId);
  return { integration, rackbeat, raw, customer, settings: planSettingsOf(values, integration) };
}

function skipReasonOf(settings: PlanSettings): "not_activated" | "debtor_integration_off" | undefined {
  return !settings.activated
    ? "not_activated"
    : !settings.debtorIntegration
      ? "debtor_integration_off"
      : undefined;
}

async function primeOnce(ctx: ProcessContext, economic: EconomicClient, owner: KnownOwner): Promise<boolean> {
  const primed = await ensurePrimed({
    db: ctx.db,
    economic,
    companyId: owner.companyId,
    agreementKey: owner.agreement,
    signal: ctx.signal,
  });
  return primed.kind.startsWith("primed");
}

/** Products known from priming have no details yet: keep Rackbeat's, so the next invoice need not ask. */
async function recordProductDetails(
  ctx: ProcessContext,
  owner: KnownOwner,
  products: Map<string, LineProductInfo>,
  known: LoadedKnown,
): Promise<void> {
  await recordKnownMasterData(
    ctx.db,
    owner,
    [...products].flatMap(([number, info]): KnownEntry[] =>
      known.products.has(number) && !known.productDetails.has(number)
        ? [
            {
              kind: "product",
              key: number,
              data: { groupNumber: info.groupNumber, ...(info.unit ? { unit: info.unit } : {}) },
            },
          ]
        : [],
    ),
  );
}

/** The groups of products met for the first time, and the EAN contact, were not asked for before. */
async function loadMoreKnown(
  ctx: ProcessContext,
  owner: KnownOwner,
  invoice: PlanInvoice,
  known: LoadedKnown,
): Promise<void> {
  const more = await loadKnownMasterData(ctx.db, owner, {
    customerGroups: [],
    customers: [],
    customerContacts: [customerContactKey(Number(invoice.customer.number), contactNameFor(invoice))],
    productGroups: [...new Set(invoice.lines.map((l) => l.productGroupNumber))],
    products: [],
    paymentTerms: [],
  });
  for (const g of more.productGroups) known.productGroups.add(g);
  for (const [k, v] of more.customerContacts) known.customerContacts.set(k, v);
}

/**
 * The last facts the plan needs from e-conomic: the integration's defaults (refused when missing),
 * the agreement's units for new products, and the type of the invoice's payment terms.
 */
async function completeKnown(input: {
  ctx: ProcessContext;
  economic: EconomicClient;
  owner: KnownOwner;
  settings: PlanSettings;
  invoice: PlanInvoice;
  known: LoadedKnown;
}): Promise<void> {
  const { ctx, economic, owner, settings, invoice, known } = input;
  if (settings.defaultLayoutNumber === 0 || settings.defaultPaymentTermsNumber === 0) {
    throw failed({ code: "integration_defaults_missing" });
  }
  if (invoice.lines.some((l) => l.unit !== undefined && !known.products.has(l.productNumber))) {
    // New products get Rackbeat's unit: e-conomic names its units, the product takes the number.
    const agreement = `${owner.companyId}:${owner.agreement}`;
    known.units = await economicUnits(economic, agreement, ctx.signal);
  }
  // Due-date terms need the draft's dueDate: know the terms' type before planning.
  await ensurePaymentTermsKnown(
    { db: ctx.db, economic, owner, signal: ctx.signal },
    known,
    invoice.customer.paymentTermsNumber ?? settings.defaultPaymentTermsNumber,
  );
}

/** Refuse before anything is created when the invoice could not be mailed after booking. */
function checkMailable(
  plan: Extract<TransferPlan, { kind: "transfer" }>,
  invoice: PlanInvoice,
  integration: CompanyIntegration,
  options: TransferEngineOptions,
): { mailer: Mailer | null; sender: string | undefined } {
  const mailStep = plan.steps.find(
    (s): s is Extract<PlanStep, { type: "emailPdf" }> => s.type === "emailPdf",
  );
  const mailer = options.mailer === undefined ? mailerFromEnv() : options.mailer;
  const sender = integration.senderEmail?.trim();
  if (mailStep) {
    if (!sender) throw failed({ code: "sender_email_missing" });
    if (!mailStep.to && mailStep.invalid === undefined)
      throw failed({ code: "customer_email_missing", params: { value: invoice.customer.number } });
    if (!mailer) throw failed({ code: "mail_not_configured" });
  }
  return { mailer, sender };
}

function contactNameFor(invoice: PlanInvoice): string {
  const reference = invoice.customer.theirReference?.trim();
  return truncateText(reference || invoice.customer.name.trim(), 255);
}

/**
 * What the plan needs to know of each line's item: its group and unit, from the cache when the
 * product is known in e-conomic, else from Rackbeat (with the group's name for creating it).
 */
async function loadProductInfo(
  rackbeat: RackbeatClient,
  raw: RackbeatCustomerInvoice,
  known: LoadedKnown,
  signal: AbortSignal,
): Promise<Map<string, LineProductInfo>> {
  const info = new Map<string, LineProductInfo>();
  const missing: string[] = [];
  for (const number of lineItemNumbers(raw)) {
    const cached = known.productDetails.get(number);
    // Known in e-conomic already, so never created: the line's own text names it on the invoice.
    if (cached) info.set(number, { groupNumber: cached.groupNumber, unit: cached.unit });
    else missing.push(number);
  }
  const fetched = await Promise.all(missing.map((n) => rackbeat.getProduct(n, { signal })));
  const groupNames = new Map<number, string | undefined>();
  const groups = [...new Set(fetched.flatMap((p) => (p.group ? [p.group.number] : [])))].filter(
    (g) => !known.productGroups.has(g),
  );
  await Promise.all(
    groups.map(async (g) => {
      try {
        groupNames.set(g, (await rackbeat.getProductGroup(g, { signal })).name);
      } catch (error) {
        // A name is nice to have for creating the group; the plan falls back to "Varegruppe N".
        if (!(error instanceof RackbeatError && error.status === 404)) throw error;
      }
    }),
  );
  for (const product of fetched) {
    if (!product.group) continue;
    info.set(product.number, {
      groupNumber: product.group.number,
      groupName: groupNames.get(product.group.number),
      name: product.name,
      ...(product.sales_price ? { salesPrice: product.sales_price } : {}),
      unit: product.unit ?? undefined,
    });
  }
  // Items Rackbeat could not place in a group stay out of `info`; the mapper reports them.
  return info;
}

function planSettingsOf(
  values: Awaited<ReturnType<typeof loadSettings>>["values"],
  integration: CompanyIntegration,
): PlanSettings {
  return {
    ...values,
    activated: integration.activated,
    defaultLayoutNumber: integration.defaultLayoutNumber ?? 0,
    defaultPaymentTermsNumber: integration.defaultPaymentTermsNumber ?? 0,
  };
}
