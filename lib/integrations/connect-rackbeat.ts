import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { companyIntegrations } from "@/db/schema";
import { encryptSecret, hashToken, secretHint } from "@/lib/crypto/secrets";
import { RACKBEAT_INVOICE_BOOKED_EVENT } from "@/lib/rackbeat";
import { loadIntegration, rackbeatClientFor, rackbeatClientWithKey } from "./clients";
import { type ConnectionFailure, HEADER_SAFE_SECRET, rackbeatFailure } from "./failures";
import { appUrlOf, type IntegrationOptions } from "./options";

export const RACKBEAT_WEBHOOK_PATH = "/api/rackbeat/webhooks";

export function rackbeatWebhookUrl(options: IntegrationOptions = {}): string {
  return `${appUrlOf(options)}${RACKBEAT_WEBHOOK_PATH}`;
}

/** Error messages are keys the UI translates (`required`, `tooLong`, `invalidFormat`). */
export const rackbeatKeyInputSchema = z.object({
  apiKey: z
    .string()
    .trim()
    .min(1, { error: "required" })
    .max(2000, { error: "tooLong" })
    .regex(HEADER_SAFE_SECRET, { error: "invalidFormat" }),
});
export type RackbeatKeyInput = z.infer<typeof rackbeatKeyInputSchema>;

/** Besides the shared failures: the account belongs to another company, or Rackbeat refused our webhook. */
export type RackbeatConnectFailure = ConnectionFailure | "accountInUse" | "webhookFailed";

export type ConnectRackbeatResult =
  | { ok: true; accountId: string; accountName: string; keyHint: string; webhookId: string }
  | { ok: false; error: RackbeatConnectFailure };

/**
 * Tests an API key with `GET /self`, registers our webhook for booked invoices and stores the key
 * (encrypted), the account and the webhook token's hash. Nothing is stored unless all of it worked.
 * One Rackbeat account feeds one company: the intake finds the company by `Rackbeat-Account-Id`.
 */
export async function connectRackbeat(
  db: Db,
  companyId: string,
  input: RackbeatKeyInput,
  options: IntegrationOptions = {},
): Promise<ConnectRackbeatResult> {
  const apiKey = input.apiKey.trim();
  const client = rackbeatClientWithKey(apiKey, options);
  let account: { id: string; name: string };
  try {
    const self = await client.getSelf();
    account = { id: String(self.id), name: self.name };
  } catch (error) {
    return { ok: false, error: rackbeatFailure(error) };
  }
  if (await accountUsedElsewhere(db, companyId, account.id)) return { ok: false, error: "accountInUse" };

  const previous = await loadIntegration(db, companyId);
  if (previous?.rackbeatWebhookId && previous.rackbeatAccountId !== account.id) {
    // Switching accounts: the old account should stop calling us. Best effort; its key may be revoked.
    await rackbeatClientFor(previous, options)
      ?.deleteWebhook(Number(previous.rackbeatWebhookId))
      .catch(() => undefined);
  }

  // The company's configured event name survives a reconnect.
  const event = previous?.rackbeatInvoiceEvent ?? RACKBEAT_INVOICE_BOOKED_EVENT;
  let webhook: { id: number; token: string };
  try {
    webhook = await client.registerWebhookWithToken({
      event,
      url: rackbeatWebhookUrl(options),
    });
  } catch (error) {
    const failure = rackbeatFailure(error);
    return { ok: false, error: failure === "unexpected" ? "webhookFailed" : failure };
  }

  const now = new Date();
  const keyHint = secretHint(apiKey);
  const fields = {
    rackbeatApiKeyEnc: encryptSecret(apiKey),
    rackbeatApiKeyHint: keyHint,
    rackbeatAccountId: account.id,
    rackbeatAccountName: account.name,
    rackbeatWebhookId: String(webhook.id),
    rackbeatWebhookTokenHash: hashToken(webhook.token),
    rackbeatWebhookEvents: [event],
    rackbeatInvoiceEvent: event,
    updatedAt: now,
  };
  try {
    await db
      .insert(companyIntegrations)
      .values({ companyId, ...fields })
      .onConflictDoUpdate({ target: companyIntegrations.companyId, set: fields });
  } catch (error) {
    // Another company connected the same account between our check and this write.
    if (isUniqueViolation(error)) return { ok: false, error: "accountInUse" };
    throw error;
  }
  return {
    ok: true,
    accountId: account.id,
    accountName: account.name,
    keyHint,
    webhookId: String(webhook.id),
  };
}

async function accountUsedElsewhere(db: Db, companyId: string, accountId: string): Promise<boolean> {
  const rows = await db
    .select({ companyId: companyIntegrations.companyId })
    .from(companyIntegrations)
    .where(
      and(eq(companyIntegrations.rackbeatAccountId, accountId), ne(companyIntegrations.companyId, companyId)),
    )
    .limit(1);
  return rows.length > 0;
}
