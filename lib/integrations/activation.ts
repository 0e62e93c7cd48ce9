import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type CompanyIntegration, companyIntegrations, companySettings, settingsChanges } from "@/db/schema";
import type { CustomerInvoiceSettings, VatZoneKey } from "@/lib/settings/schema";
import { vatZoneKeys } from "@/lib/settings/schema";
import { ACTIVATION_HISTORY_KEY } from "./activation-key";
import { type ClientOptions, economicClientFor, rackbeatClientFor } from "./clients";

/**
 * What "Aktivér integration" requires before transfers may run: both connections answer, Rackbeat
 * will call our webhook, and the settings a transfer needs are chosen. Everything missing is
 * reported at once, so the user fixes it in one go.
 */

export type ActivationGap =
  | { code: "economic_not_connected" }
  | { code: "economic_unreachable" }
  | { code: "economic_refused" }
  | { code: "rackbeat_not_connected" }
  | { code: "rackbeat_refused" }
  | { code: "rackbeat_webhook_missing" }
  | { code: "rackbeat_unreachable" }
  | { code: "default_layout_missing" }
  | { code: "default_payment_terms_missing" }
  | { code: "customer_group_account_missing" }
  | { code: "product_group_accounts_missing"; zones: VatZoneKey[] };

export type ActivationGapCode = ActivationGap["code"];

type ActivationIntegration = Pick<
  CompanyIntegration,
  | "economicGrantTokenEnc"
  | "rackbeatApiKeyEnc"
  | "rackbeatWebhookId"
  | "rackbeatWebhookTokenHash"
  | "defaultLayoutNumber"
  | "defaultPaymentTermsNumber"
>;

/** The gaps visible in stored data alone (no calls). */
export function storedActivationGaps(
  integration: ActivationIntegration | undefined,
  settings: CustomerInvoiceSettings,
): ActivationGap[] {
  const gaps: ActivationGap[] = [];
  if (!integration?.economicGrantTokenEnc) gaps.push({ code: "economic_not_connected" });
  if (!integration?.rackbeatApiKeyEnc) gaps.push({ code: "rackbeat_not_connected" });
  else if (!integration.rackbeatWebhookId || !integration.rackbeatWebhookTokenHash) {
    gaps.push({ code: "rackbeat_webhook_missing" });
  }
  if (integration?.defaultLayoutNumber == null) gaps.push({ code: "default_layout_missing" });
  if (integration?.defaultPaymentTermsNumber == null) gaps.push({ code: "default_payment_terms_missing" });
  // With debtor integration off every invoice is skipped, so no account is needed yet.
  if (settings.debtorIntegration) {
    if (settings.customerGroupAccount === null) gaps.push({ code: "customer_group_account_missing" });
    const zones = vatZoneKeys.filter((zone) => settings.productGroupAccounts[zone] === null);
    if (zones.length > 0) gaps.push({ code: "product_group_accounts_missing", zones });
  }
  return gaps;
}

/**
 * The accounts an active integration needs, as form fields: saving without them would make every
 * transfer that has to create a customer or product group fail, so such a save is refused.
 */
export function accountsRequiredWhileActive(
  settings: CustomerInvoiceSettings,
): Array<"customerGroupAccount" | `productGroupAccounts.${VatZoneKey}`> {
  if (!settings.debtorIntegration) return [];
  return [
    ...(settings.customerGroupAccount === null ? (["customerGroupAccount"] as const) : []),
    ...vatZoneKeys
      .filter((zone) => settings.productGroupAccounts[zone] === null)
      .map((zone) => `productGroupAccounts.${zone}` as const),
  ];
}

/**
 * A connection check waits this long for one answer, and a slow or failing answer is tried again
 * (the clients' own retries) until about 30 s have passed: a Rackbeat or e-conomic that is merely
 * slow must not read as a refused key. A 401/403 is a refusal and is never retried.
 */
const CHECK_ATTEMPT_TIMEOUT_MS = 10_000;

export type ConnectionCheck = "ok" | "refused" | "unreachable";

/** Stored gaps plus live checks: e-conomic's /self and Rackbeat's /self must answer with the stored credentials. */
export async function activationGaps(
  integration: ActivationIntegration | undefined,
  settings: CustomerInvoiceSettings,
  options: ClientOptions = {},
): Promise<ActivationGap[]> {
  const gaps = storedActivationGaps(integration, settings);
  const economic = economicClientFor(integration, options);
  const rackbeat = rackbeatClientFor(integration, {
    timeoutMs: CHECK_ATTEMPT_TIMEOUT_MS,
    ...options,
  });
  const [economicCheck, rackbeatCheck] = await Promise.all([
    economic ? check(() => economic.self({ timeoutMs: CHECK_ATTEMPT_TIMEOUT_MS })) : Promise.resolve("ok"),
    rackbeat ? check(() => rackbeat.getSelf()) : Promise.resolve("ok"),
  ]);
  const live: ActivationGap[] = [];
  if (economicCheck === "refused") live.push({ code: "economic_refused" });
  if (economicCheck === "unreachable") live.push({ code: "economic_unreachable" });
  if (rackbeatCheck === "refused") live.push({ code: "rackbeat_refused" });
  if (rackbeatCheck === "unreachable") live.push({ code: "rackbeat_unreachable" });
  return [...live, ...gaps].sort((a, b) => gapOrder.indexOf(a.code) - gapOrder.indexOf(b.code));
}

const gapOrder: ActivationGapCode[] = [
  "economic_not_connected",
  "economic_refused",
  "economic_unreachable",
  "rackbeat_not_connected",
  "rackbeat_refused",
  "rackbeat_unreachable",
  "rackbeat_webhook_missing",
  "default_layout_missing",
  "default_payment_terms_missing",
  "customer_group_account_missing",
  "product_group_accounts_missing",
];

/** A refusal (401/403: the token or key is wrong) versus no usable answer (slow, down, 5xx). */
async function check(call: () => Promise<unknown>): Promise<ConnectionCheck> {
  try {
    await call();
    return "ok";
  } catch (error) {
    const status = (error as { status?: unknown } | null)?.status;
    return status === 401 || status === 403 ? "refused" : "unreachable";
  }
}

/**
 * Sets the company's switch; false when the company has no connection row yet. With `by`, a real
 * change is written to the settings history, so it shows who switched the integration on or off.
 */
export async function setActivated(
  db: Db,
  companyId: string,
  activated: boolean,
  by?: { userId: string; userName: string | null },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ activated: companyIntegrations.activated })
      .from(companyIntegrations)
      .where(eq(companyIntegrations.companyId, companyId))
      .for("update");
    if (!before) return false;
    await tx
      .update(companyIntegrations)
      .set({
        activated,
        activatedAt: activated ? sql`now()` : null,
        updatedAt: sql`now()`,
      })
      .where(eq(companyIntegrations.companyId, companyId));
    if (by && before.activated !== activated) {
      const [settings] = await tx
        .select({ version: companySettings.version })
        .from(companySettings)
        .where(eq(companySettings.companyId, companyId));
      await tx.insert(settingsChanges).values({
        companyId,
        version: settings?.version ?? 0,
        userId: by.userId,
        userName: by.userName,
        key: ACTIVATION_HISTORY_KEY,
        oldValue: before.activated,
        newValue: activated,
      });
    }
    return true;
  });
}
