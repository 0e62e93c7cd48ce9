import "server-only";
import { decryptSecret } from "@/lib/crypto/secrets";
import { type CallInfo, EconomicClient } from "@/lib/economic";
import { economicAppSecretToken, externalUrls } from "@/lib/env";
import { loadIntegration, RACKBEAT_CONSUMER } from "@/lib/integrations/clients";
import { RackbeatClient } from "@/lib/rackbeat";
import { loadSettings } from "@/lib/settings/store";
import { createCallLog } from "@/lib/transfer/call-log";
import { failed, outcomeOfError } from "@/lib/transfer/errors";
import {
  type KnownOwner,
  loadKnownMasterData,
  recordKnownMasterData,
} from "@/lib/transfer/known-master-data";
import type { PlanSettings } from "@/lib/transfer/plan-types";
import { agreementKeyOf, ensurePrimed } from "@/lib/transfer/prime-master-data";
import type { ClaimedTransfer, ProcessContext, ProcessOutcome } from "@/lib/transfer/types";
import { parseRecordKey, type RecordRef } from "./record-key";
import { writeRecord } from "./write-records";

/**
 * The processor of a master-data sync claimed from the queue: the record's latest state from
 * Rackbeat, written to e-conomic by `writeRecord`, the known-records cache (`economic_known`, per
 * company and agreement) read before and updated after, so invoices reuse what the sync created and
 * a record that already matches costs no e-conomic call. Every e-conomic call is logged on the row
 * (`economic_calls`), as for invoices. A synced record ends as status "booked" (shown as
 * "Synkroniseret" in the review page's Stamdata view).
 */
export async function syncRecord(transfer: ClaimedTransfer, ctx: ProcessContext): Promise<ProcessOutcome> {
  const record = parseRecordKey(transfer.rackbeatInvoiceNumber);
  if (!record) return { kind: "failed", error: { code: "internal", detail: "not a master-data record key" } };
  const callLog = createCallLog(ctx.db, transfer);
  try {
    return await execute(transfer.companyId, record, ctx, (call) => callLog.record(call));
  } catch (error) {
    return outcomeOfError(error);
  } finally {
    await callLog.flush();
  }
}

async function execute(
  companyId: string,
  record: RecordRef,
  ctx: ProcessContext,
  onCall: (info: CallInfo) => void,
): Promise<ProcessOutcome> {
  const db = ctx.db;
  // Independent reads side by side: a sync's latency bounds the company's throughput (the queue
  // runs a few of one company's rows at a time).
  const [integration, { values }] = await Promise.all([
    loadIntegration(db, companyId),
    loadSettings(db, companyId),
  ]);
  if (!integration?.economicGrantTokenEnc || !integration.rackbeatApiKeyEnc) {
    throw failed({ code: "not_connected" });
  }
  if (!integration.activated) return { kind: "skipped", reason: "not_activated" };
  if (!values.debtorIntegration) return { kind: "skipped", reason: "debtor_integration_off" };
  const settings: PlanSettings = {
    ...values,
    activated: integration.activated,
    defaultLayoutNumber: integration.defaultLayoutNumber ?? 0,
    defaultPaymentTermsNumber: integration.defaultPaymentTermsNumber ?? 0,
  };
  if (record.kind === "customer" && settings.defaultPaymentTermsNumber === 0) {
    throw failed({ code: "integration_defaults_missing" });
  }
  const urls = ctx.urls ?? externalUrls();
  const economic = new EconomicClient({
    onCall,
    restBase: urls.economicRest,
    productsBase: urls.economicProducts,
    projectsBase: urls.economicProjects,
    appSecretToken: economicAppSecretToken(),
    agreementGrantToken: decryptSecret(integration.economicGrantTokenEnc),
    ...(integration.economicAgreementNumber == null
      ? {}
      : { agreementScope: String(integration.economicAgreementNumber) }),
    fetch: ctx.fetch,
  });
  const rackbeat = new RackbeatClient({
    apiKey: decryptSecret(integration.rackbeatApiKeyEnc),
    consumer: RACKBEAT_CONSUMER,
    baseUrl: urls.rackbeat,
    fetch: ctx.fetch,
  });
  const owner: KnownOwner = { companyId, agreement: agreementKeyOf(integration.economicAgreementNumber) };
  const loadKnown = () =>
    loadKnownMasterData(db, owner, {
      customerGroups: record.kind === "customer_group" ? [record.number] : [],
      customers: record.kind === "customer" ? [record.number] : [],
      customerContacts: [],
      productGroups: record.kind === "product_group" ? [record.number] : [],
      products: [],
      paymentTerms: [],
    });
  const [priming, loaded] = await Promise.all([
    ensurePrimed({ db, economic, companyId, agreementKey: owner.agreement, signal: ctx.signal }),
    loadKnown(),
  ]);
  // Primed by this very sync: the cache holds more now than what was read beside the priming.
  const known = priming.kind === "primedNow" ? await loadKnown() : loaded;
  const result = await writeRecord(
    {
      economic,
      rackbeat,
      settings,
      known,
      primed: priming.kind.startsWith("primed"),
      defaultCustomerGroupNumber: integration.defaultCustomerGroupNumber ?? undefined,
      signal: ctx.signal,
      isKnownCustomerGroup: async (n) =>
        (
          await loadKnownMasterData(db, owner, {
            customerGroups: [n],
            customers: [],
            customerContacts: [],
            productGroups: [],
            products: [],
            paymentTerms: [],
          })
        ).customerGroups.has(n),
    },
    record,
  );
  await Promise.all([
    recordKnownMasterData(db, owner, result.known),
    ctx.update({ checkpoint: { writes: result.writes } }),
  ]);
  return { kind: "done", status: "booked" };
}
