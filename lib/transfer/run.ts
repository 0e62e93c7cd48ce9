import "server-only";
import type { CompanyIntegration } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secrets";
import { type CallInfo, EconomicClient } from "@/lib/economic";
import { economicAppSecretToken, externalUrls } from "@/lib/env";
import { loadIntegration, RACKBEAT_CONSUMER } from "@/lib/integrations/clients";
import { type Mailer, mailerFromEnv } from "@/lib/mail";
import {
  invoiceCustomerNumber,
  RackbeatClient,
  type RackbeatCustomerInvoice,
  RackbeatError,
} from "@/lib/rackbeat";
import { loadSettings } from "@/lib/settings/store";
import {
  DEFAULT_AMBIGUOUS_SETTLE_MS,
  type Run,
  type TransferCheckpoint,
  type TransferEngineOptions,
} from "./attempt";
import { bookDraft } from "./booking-step";
import { createCallLog } from "./call-log";
import { createDraft, draftBodyOf } from "./draft-step";
import { economicUnits } from "./economic-units";
import { failed, outcomeOfError } from "./errors";
import { recordInvoice } from "./fetch-invoice";
import { isAlreadyExists } from "./find-or-create";
import { doneMarksOf, missingMasterData, withoutRecords } from "./heal-master-data";
import {
  forgetKnownMasterData,
  type KnownEntry,
  type KnownOwner,
  type KnownProduct,
  type LoadedKnown,
  loadKnownMasterData,
  recordKnownMasterData,
} from "./known-master-data";
import { emailPdf } from "./mail-step";
import { type LineProductInfo, lineItemNumbers, mapInvoice } from "./map-invoice";
import { executeMasterDataStep } from "./master-data-steps";
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
import type {
  ClaimedTransfer,
  ProcessContext,
  ProcessOutcome,
  TransferPatch,
  TransferProcessor,
} from "./types";

/**
 * The transfer engine: one claimed transfer → fetch the Rackbeat invoice → plan → execute the plan's
 * steps in e-conomic, with a checkpoint on the transfer row after each step so a retry continues
 * where the last attempt stopped.
 *
 * Exactly once: e-conomic has no idempotency keys and the client never retries an ambiguous POST.
 * The checkpoint records "a draft create / a booking was sent" BEFORE the POST; an attempt that
 * finds that mark without a result first looks for what the lost request made (exactly-once.ts) and
 * adopts it. Master data is "find by number, create if missing", which repeats safely; once the
 * company's cache is primed (prime-master-data.ts) a record missing from it is created straight
 * away, and only a refusal as a duplicate makes us look it up.
 */

// --- invoice + master data from Rackbeat ---

function contactNameFor(invoice: PlanInvoice): string {
  const reference = invoice.customer.theirReference?.trim();
  return truncateText(reference || invoice.customer.name.trim(), 255);
}

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

// --- the processor ---

function economicClient(
  integration: CompanyIntegration,
  ctx: ProcessContext,
  options: TransferEngineOptions,
  onCall: (info: CallInfo) => void,
): EconomicClient {
  const urls = ctx.urls ?? externalUrls();
  return new EconomicClient({
    restBase: urls.economicRest,
    productsBase: urls.economicProducts,
    projectsBase: urls.economicProjects,
    appSecretToken: economicAppSecretToken(),
    agreementGrantToken: decryptSecret(integration.economicGrantTokenEnc ?? ""),
    ...(integration.economicAgreementNumber == null
      ? {}
      : { agreementScope: String(integration.economicAgreementNumber) }),
    onCall,
    fetch: ctx.fetch,
    ...(options.economic?.timeoutMs === undefined ? {} : { timeoutMs: options.economic.timeoutMs }),
    ...(options.economic?.retry === undefined ? {} : { retry: options.economic.retry }),
  });
}

function rackbeatClient(
  integration: CompanyIntegration,
  ctx: ProcessContext,
  options: TransferEngineOptions,
) {
  const urls = ctx.urls ?? externalUrls();
  return new RackbeatClient({
    apiKey: decryptSecret(integration.rackbeatApiKeyEnc ?? ""),
    consumer: RACKBEAT_CONSUMER,
    baseUrl: urls.rackbeat,
    fetch: ctx.fetch,
    ...(options.rackbeat?.timeoutMs === undefined ? {} : { timeoutMs: options.rackbeat.timeoutMs }),
    ...(options.rackbeat?.retry === undefined ? {} : { retry: options.rackbeat.retry }),
  });
}

async function execute(
  transfer: ClaimedTransfer,
  ctx: ProcessContext,
  options: TransferEngineOptions,
  onCall: (info: CallInfo) => void,
): Promise<ProcessOutcome> {
  const db = ctx.db;
  const integration = await loadIntegration(db, transfer.companyId);
  if (!integration?.economicGrantTokenEnc || !integration.rackbeatApiKeyEnc) {
    throw failed({ code: "not_connected" });
  }
  const rackbeat = rackbeatClient(integration, ctx, options);
  const raw = await rackbeat.getCustomerInvoice(transfer.rackbeatInvoiceNumber, { signal: ctx.signal });
  // Recorded first, so the review page shows the invoice whatever happens next.
  await recordInvoice(ctx, raw, transfer);
  const customer =
    raw.customer ?? (await rackbeat.getCustomer(invoiceCustomerNumber(raw), { signal: ctx.signal }));
  const { values } = await loadSettings(db, transfer.companyId);
  const settings = planSettingsOf(values, integration);

  const skip = !settings.activated
    ? "not_activated"
    : !settings.debtorIntegration
      ? "debtor_integration_off"
      : undefined;
  const economic = economicClient(integration, ctx, options, onCall);
  const owner: KnownOwner = {
    companyId: transfer.companyId,
    agreement: agreementKeyOf(integration.economicAgreementNumber),
  };
  // A company's first transfer lists its master data in bulk (one call per 1,000 records) instead
  // of looking each record up on first use; skipped transfers touch e-conomic not at all.
  const primed = skip
    ? false
    : (
        await ensurePrimed({
          db,
          economic,
          companyId: transfer.companyId,
          agreementKey: owner.agreement,
          signal: ctx.signal,
        })
      ).kind.startsWith("primed");

  const itemNumbers = lineItemNumbers(raw);
  const known = await loadKnownMasterData(db, owner, {
    customerGroups: customer.group ? [customer.group.number] : [],
    customers: [customer.number],
    customerContacts: [],
    productGroups: [],
    products: itemNumbers,
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
  // Products known from priming have no details yet: keep Rackbeat's, so the next invoice need not ask.
  await recordKnownMasterData(
    db,
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

  // The groups of products met for the first time, and the EAN contact, were not asked for above.
  const more = await loadKnownMasterData(db, owner, {
    customerGroups: [],
    customers: [],
    customerContacts: [customerContactKey(Number(invoice.customer.number), contactNameFor(invoice))],
    productGroups: [...new Set(invoice.lines.map((l) => l.productGroupNumber))],
    products: [],
    paymentTerms: [],
  });
  for (const g of more.productGroups) known.productGroups.add(g);
  for (const [k, v] of more.customerContacts) known.customerContacts.set(k, v);

  if (settings.defaultLayoutNumber === 0 || settings.defaultPaymentTermsNumber === 0) {
    throw failed({ code: "integration_defaults_missing" });
  }
  if (invoice.lines.some((l) => l.unit !== undefined && !known.products.has(l.productNumber))) {
    // New products get Rackbeat's unit: e-conomic names its units, the product takes the number.
    const agreement = `${transfer.companyId}:${agreementKeyOf(integration.economicAgreementNumber)}`;
    known.units = await economicUnits(economic, agreement, ctx.signal);
  }
  // Due-date terms need the draft's dueDate: know the terms' type before planning.
  await ensurePaymentTermsKnown(
    { db, economic, owner, signal: ctx.signal },
    known,
    invoice.customer.paymentTermsNumber ?? settings.defaultPaymentTermsNumber,
  );
  const plan = planTransfer(invoice, settings, known);
  if (plan.kind === "skip") return { kind: "skipped", reason: plan.reason };

  // Refuse before anything is created when the invoice could not be mailed after booking.
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

  const run: Run = {
    transfer,
    ctx,
    db,
    economic,
    integration,
    options,
    checkpoint: { ...(transfer.checkpoint as TransferCheckpoint) },
    now: options.now ?? Date.now,
    units: new Map(invoice.lines.flatMap((l) => (l.unit ? [[l.productNumber, l.unit] as const] : []))),
    primed,
    owner,
  };
  await ctx.update({ plan: plan as unknown as TransferPatch["plan"] });
  const steps = { invoice, known, mailer, sender };
  try {
    return await executeSteps(run, plan, steps);
  } catch (error) {
    // e-conomic lacks a record the cache said it has: forget it, plan again (which creates it) and
    // continue, once; a second refusal fails with its reason.
    const missing = missingMasterData(error, known);
    if (missing.length === 0) throw error;
    await forgetKnownMasterData(db, owner, missing);
    withoutRecords(known, missing);
    const redo = doneMarksOf(missing);
    run.checkpoint.done = run.checkpoint.done?.filter((mark) => !redo.has(mark));
    const replanned = planTransfer(invoice, settings, known);
    if (replanned.kind === "skip") return { kind: "skipped", reason: replanned.reason };
    await ctx.update({ plan: replanned as unknown as TransferPatch["plan"], checkpoint: run.checkpoint });
    return await executeSteps(run, replanned, steps);
  }
}

/** Runs the plan's steps in order, each checkpointed. */
async function executeSteps(
  run: Run,
  plan: Extract<TransferPlan, { kind: "transfer" }>,
  input: { invoice: PlanInvoice; known: LoadedKnown; mailer: Mailer | null; sender: string | undefined },
): Promise<ProcessOutcome> {
  const { invoice, known, mailer, sender } = input;
  const contacts = new Map<string, number>();
  let draftNumber: number | undefined;
  let booked: { number: number; grossAmount?: number; netAmount?: number } | undefined;
  for (const step of plan.steps) {
    switch (step.type) {
      case "createDraft": {
        const body = draftBodyOf(step, contacts, known);
        draftNumber = await createDraft(run, plan, body, invoice);
        plan.draft = body;
        break;
      }
      case "bookDraft":
        if (draftNumber === undefined) throw new Error("bookDraft before createDraft");
        booked = await bookDraft(run, plan, plan.draft, draftNumber, invoice, step);
        break;
      case "emailPdf":
        if (step.invalid !== undefined) {
          // The invoice stays booked; a retry after the address is corrected in Rackbeat mails it.
          throw failed({
            code: "customer_email_invalid",
            field: "contact_email",
            params: { value: step.invalid, customer: invoice.customer.number, field: "contact_email" },
          });
        }
        if (!booked || !mailer || !sender || !step.to) throw new Error("emailPdf without a booked invoice");
        await emailPdf(run, mailer, invoice, booked, step.to, sender);
        break;
      default:
        await executeMasterDataStep(run, step, contacts);
    }
  }
  return { kind: "done", status: plan.book ? "booked" : "draft" };
}

/** The engine with its options (tests shorten time-outs and pass their mailer). */
export function createTransferProcessor(options: TransferEngineOptions = {}): TransferProcessor {
  return async (transfer, ctx) => {
    const callLog = createCallLog(ctx.db, transfer);
    try {
      return await execute(transfer, ctx, options, (call) => callLog.record(call));
    } catch (error) {
      return outcomeOfError(error);
    } finally {
      await callLog.flush();
    }
  };
}

export const processTransfer: TransferProcessor = createTransferProcessor();

export type { KnownProduct };
export { DEFAULT_AMBIGUOUS_SETTLE_MS, isAlreadyExists, type TransferCheckpoint, type TransferEngineOptions };
