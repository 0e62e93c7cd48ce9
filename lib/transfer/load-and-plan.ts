import type { CompanyIntegration } from "@/db/schema";
import type { CallInfo, EconomicClient } from "@/lib/economic";
import { type Mailer, mailerFromEnv } from "@/lib/mail";
import {
  invoiceCustomerNumber,
  type RackbeatClient,
  type RackbeatCustomer,
  type RackbeatCustomerInvoice,
  RackbeatError,
} from "@/lib/rackbeat";
import type { CustomerInvoiceSettings } from "@/lib/settings/schema";
import type { TransferEngineOptions } from "./attempt";
import { economicUnits } from "./economic-units";
import { economicClient, rackbeatClient } from "./engine-clients";
import { failed } from "./errors";
import { stageInvoice } from "./fetch-invoice";
import {
  type KnownEntry,
  type KnownOwner,
  type KnownQuery,
  type LoadedKnown,
  loadKnownMasterData,
  stageKnownMasterData,
} from "./known-master-data";
import { loadCompanyForTransfer } from "./load-company";
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
import { agreementKeyOf, ensurePrimed, PRIMED_KIND } from "./prime-master-data";
import type { ClaimedTransfer, ProcessContext } from "./types";

/**
 * The first part of an attempt (run.ts): from the claimed transfer to its plan. Reads the company's
 * integration and settings (one statement), fetches the invoice (and customer, and new items) from
 * Rackbeat, adds the invoice to the attempt's unsaved writes, reads what the master-data cache knows
 * of this e-conomic agreement (one statement; priming it on the company's first transfer), and plans
 * (plan.ts). Refuses, before anything is
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
  const mapping = {
    defaultCustomerGroupNumber: integration.defaultCustomerGroupNumber ?? undefined,
    baseCurrency: settings.baseCurrency,
  };
  if (skip) {
    // Skipped transfers touch e-conomic not at all (the invoice is still mapped: a broken one fails).
    mapInvoice(raw, new Map(raw.lines.map((l) => [l.child_id, { groupNumber: 0 }])), customer, mapping);
    return { kind: "skipped", reason: skip };
  }
  const economic = economicClient(integration, ctx, options, onCall);
  const owner: KnownOwner = {
    companyId: transfer.companyId,
    agreement: agreementKeyOf(integration.economicAgreementNumber),
  };
  const { known, primed } = await loadKnown(ctx, economic, owner, raw, customer, settings);
  const products = await loadProductInfo(rackbeat, raw, known, ctx.signal);
  const invoice = mapInvoice(raw, products, customer, mapping);
  stageProductDetails(transfer, owner, products, known);
  narrowToInvoice(known, invoice);
  await completeKnown({ transfer, ctx, economic, owner, settings, invoice, known });
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

/**
 * The company's integration and settings (one read), and the invoice and its customer from
 * Rackbeat. The invoice goes with the attempt's next write of the row, so the review page shows it
 * whatever happens next (a failed attempt's completion writes it too).
 */
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
  const company = await loadCompanyForTransfer(ctx.db, transfer.companyId);
  const integration = company?.integration;
  if (!company || !integration?.economicGrantTokenEnc || !integration.rackbeatApiKeyEnc) {
    throw failed({ code: "not_connected" });
  }
  const rackbeat = rackbeatClient(integration, ctx, options);
  const raw = await rackbeat.getCustomerInvoice(transfer.rackbeatInvoiceNumber, { signal: ctx.signal });
  stageInvoice(transfer, raw);
  const customer =
    raw.customer ?? (await rackbeat.getCustomer(invoiceCustomerNumber(raw), { signal: ctx.signal }));
  return { integration, rackbeat, raw, customer, settings: planSettingsOf(company.settings, integration) };
}

function skipReasonOf(settings: PlanSettings): "not_activated" | "debtor_integration_off" | undefined {
  return !settings.activated
    ? "not_activated"
    : !settings.debtorIntegration
      ? "debtor_integration_off"
      : undefined;
}

/**
 * Everything the plan needs from the master-data cache, in one read: the priming marker, the
 * customer, its group and contacts, the products with their groups (every group when a product is
 * new to the cache, whose group Rackbeat names only later) and the payment terms. A company's first
 * transfer primes the cache (one list call per 1,000 records, instead of looking each record up on
 * first use) and reads again.
 */
async function loadKnown(
  ctx: ProcessContext,
  economic: EconomicClient,
  owner: KnownOwner,
  raw: RackbeatCustomerInvoice,
  customer: RackbeatCustomer,
  settings: PlanSettings,
): Promise<{ known: LoadedKnown; primed: boolean }> {
  const query: KnownQuery = {
    customerGroups: customer.group ? [customer.group.number] : [],
    customers: [customer.number],
    customerContacts: [],
    contactsOfCustomers: [customer.number],
    productGroups: [],
    products: lineItemNumbers(raw),
    groupsOfProducts: true,
    paymentTerms: [customer.payment_terms?.number ?? settings.defaultPaymentTermsNumber],
    primedMarker: { kind: PRIMED_KIND },
  };
  const known = await loadKnownMasterData(ctx.db, owner, query);
  if (known.primed) return { known, primed: true };
  const primed = await primeOnce(ctx, economic, owner);
  return { known: primed ? await loadKnownMasterData(ctx.db, owner, query) : known, primed };
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
function stageProductDetails(
  transfer: ClaimedTransfer,
  owner: KnownOwner,
  products: Map<string, LineProductInfo>,
  known: LoadedKnown,
): void {
  stageKnownMasterData(
    transfer,
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

/**
 * The read took in more than the invoice uses (the customer's every contact; every product group
 * when a product was new): keep the invoice's own, so forgetting "every record of a kind the invoice
 * uses" (heal-master-data.ts) forgets no more than it did.
 */
function narrowToInvoice(known: LoadedKnown, invoice: PlanInvoice): void {
  const contact = customerContactKey(Number(invoice.customer.number), contactNameFor(invoice));
  for (const key of [...known.customerContacts.keys()])
    if (key !== contact) known.customerContacts.delete(key);
  const groups = new Set(invoice.lines.map((l) => l.productGroupNumber));
  for (const group of [...known.productGroups]) if (!groups.has(group)) known.productGroups.delete(group);
}

/**
 * The last facts the plan needs from e-conomic: the integration's defaults (refused when missing),
 * the agreement's units for new products, and the type of the invoice's payment terms.
 */
async function completeKnown(input: {
  transfer: ClaimedTransfer;
  ctx: ProcessContext;
  economic: EconomicClient;
  owner: KnownOwner;
  settings: PlanSettings;
  invoice: PlanInvoice;
  known: LoadedKnown;
}): Promise<void> {
  const { transfer, ctx, economic, owner, settings, invoice, known } = input;
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
    { transfer, economic, owner, signal: ctx.signal },
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

function planSettingsOf(values: CustomerInvoiceSettings, integration: CompanyIntegration): PlanSettings {
  return {
    ...values,
    activated: integration.activated,
    defaultLayoutNumber: integration.defaultLayoutNumber ?? 0,
    defaultPaymentTermsNumber: integration.defaultPaymentTermsNumber ?? 0,
  };
}
