import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { companyIntegrations } from "@/db/schema";
import { loadIntegration, rackbeatClientFor } from "./clients";
import type { IntegrationOptions } from "./options";

/**
 * Forgets the e-conomic grant token and agreement and deactivates the integration. The chosen
 * defaults stay: they are no secret, and reconnecting the same agreement makes them valid again.
 */
export async function disconnectEconomic(db: Db, companyId: string): Promise<void> {
  const now = new Date();
  await db
    .update(companyIntegrations)
    .set({
      economicGrantTokenEnc: null,
      economicGrantTokenHint: null,
      economicAgreementNumber: null,
      economicCompanyName: null,
      activated: false,
      activatedAt: null,
      updatedAt: now,
    })
    .where(eq(companyIntegrations.companyId, companyId));
}

export interface DisconnectRackbeatResult {
  /** `failed`: Rackbeat could not be asked to delete our webhook; the user should remove it there. */
  webhook: "deleted" | "none" | "failed";
}

/**
 * Deletes our webhook in Rackbeat (best effort: the key may already be revoked), then forgets the
 * key, account and webhook token and deactivates the integration, whatever Rackbeat answered.
 */
export async function disconnectRackbeat(
  db: Db,
  companyId: string,
  options: IntegrationOptions = {},
): Promise<DisconnectRackbeatResult> {
  const integration = await loadIntegration(db, companyId);
  let webhook: DisconnectRackbeatResult["webhook"] = "none";
  if (integration?.rackbeatWebhookId) {
    try {
      const client = rackbeatClientFor(integration, options);
      if (!client) throw new Error("no Rackbeat key stored");
      await client.deleteWebhook(Number(integration.rackbeatWebhookId));
      webhook = "deleted";
    } catch {
      webhook = "failed";
    }
  }
  const now = new Date();
  await db
    .update(companyIntegrations)
    .set({
      rackbeatApiKeyEnc: null,
      rackbeatApiKeyHint: null,
      rackbeatAccountId: null,
      rackbeatAccountName: null,
      rackbeatWebhookId: null,
      rackbeatWebhookTokenHash: null,
      rackbeatWebhookEvents: [],
      activated: false,
      activatedAt: null,
      updatedAt: now,
    })
    .where(eq(companyIntegrations.companyId, companyId));
  return { webhook };
}
