import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { companyIntegrations } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import { RACKBEAT_INVOICE_BOOKED_EVENT } from "@/lib/rackbeat";
import { loadIntegration, rackbeatClientFor } from "./clients";
import { rackbeatWebhookUrl } from "./connect-rackbeat";
import { type ConnectionFailure, rackbeatFailure } from "./failures";
import type { IntegrationOptions } from "./options";

/**
 * The company's webhook in Rackbeat: the invoice event's name is a setting (Rackbeat's exact name is
 * unconfirmed: rackbeat-api.md), registered as configured and the only one the intake accepts;
 * changing it registers the new one before the old is deleted, so no booking falls between. The
 * setup guide shows the webhook's health as Rackbeat reports it and registers it again when it is
 * missing or deactivated (Rackbeat deactivates a webhook after a day of failed deliveries).
 */

/** Rackbeat's catalog names events `entity.action` (`order.created`); error keys the UI translates. */
export const rackbeatEventInputSchema = z.object({
  event: z
    .string()
    .trim()
    .min(1, { error: "required" })
    .max(100, { error: "tooLong" })
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/, { error: "invalidEvent" }),
});
export type RackbeatEventInput = z.infer<typeof rackbeatEventInputSchema>;

export type WebhookChangeResult =
  | { ok: true; event: string; webhookId: string }
  | { ok: false; error: ConnectionFailure | "notConnected" };

/** Registers our webhook for `event` and makes it the company's only accepted event. */
export async function registerInvoiceWebhook(
  db: Db,
  companyId: string,
  event: string,
  options: IntegrationOptions = {},
): Promise<WebhookChangeResult> {
  const integration = await loadIntegration(db, companyId);
  const client = rackbeatClientFor(integration, options);
  if (!integration || !client) return { ok: false, error: "notConnected" };
  let webhook: { id: number; token: string };
  try {
    webhook = await client.registerWebhookWithToken({ event, url: rackbeatWebhookUrl(options) });
  } catch (error) {
    return { ok: false, error: rackbeatFailure(error) };
  }
  await db
    .update(companyIntegrations)
    .set({
      rackbeatInvoiceEvent: event,
      rackbeatWebhookId: String(webhook.id),
      rackbeatWebhookTokenHash: hashToken(webhook.token),
      rackbeatWebhookEvents: [event],
      updatedAt: new Date(),
    })
    .where(eq(companyIntegrations.companyId, companyId));
  const previous = integration.rackbeatWebhookId;
  if (previous && previous !== String(webhook.id)) {
    // Best effort: a leftover webhook's deliveries are refused by the intake (unknown event/token).
    await client.deleteWebhook(Number(previous)).catch(() => undefined);
  }
  return { ok: true, event, webhookId: String(webhook.id) };
}

/** "Gem hændelsesnavn": the new name registered, the old webhook deleted. */
export function changeInvoiceEvent(
  db: Db,
  companyId: string,
  input: RackbeatEventInput,
  options: IntegrationOptions = {},
): Promise<WebhookChangeResult> {
  return registerInvoiceWebhook(db, companyId, input.event, options);
}

/** "Registrér webhook igen": the configured event registered afresh (a new token). */
export async function reregisterInvoiceWebhook(
  db: Db,
  companyId: string,
  options: IntegrationOptions = {},
): Promise<WebhookChangeResult> {
  const integration = await loadIntegration(db, companyId);
  return registerInvoiceWebhook(
    db,
    companyId,
    integration?.rackbeatInvoiceEvent ?? RACKBEAT_INVOICE_BOOKED_EVENT,
    options,
  );
}

export type WebhookHealth =
  | { status: "active"; event: string; failures: number | null }
  | { status: "inactive"; event: string; failures: number | null }
  | { status: "missing"; event: string }
  | { status: "notConnected" }
  | { status: "error"; error: ConnectionFailure };

const HEALTH_TIMEOUT_MS = 4_000;

/** Our webhook as Rackbeat lists it: active, deactivated, or gone. One or a few list calls. */
export async function webhookHealth(
  db: Db,
  companyId: string,
  options: IntegrationOptions = {},
): Promise<WebhookHealth> {
  const integration = await loadIntegration(db, companyId);
  const client = rackbeatClientFor(integration, options);
  if (!integration || !client || !integration.rackbeatWebhookId) return { status: "notConnected" };
  const event = integration.rackbeatInvoiceEvent;
  try {
    // Shown on every render of the setup guide: a slow Rackbeat must not hold the page up.
    const hooks = await client.listWebhooks({ signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const ours = hooks.find((h) => String(h.id) === integration.rackbeatWebhookId);
    if (!ours) return { status: "missing", event };
    const failures = ours.failures_since_last_success ?? null;
    return { status: ours.is_active === false ? "inactive" : "active", event, failures };
  } catch (error) {
    return { status: "error", error: rackbeatFailure(error) };
  }
}
