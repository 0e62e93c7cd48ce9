import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { companyIntegrations } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import { loadSettings } from "@/lib/settings/store";
import { DEFAULT_RECORD_EVENTS, type RecordEventNames, recordEventNames } from "@/lib/sync/record-key";
import { loadIntegration, rackbeatClientFor } from "./clients";
import { rackbeatWebhookUrl } from "./connect-rackbeat";
import { type ConnectionFailure, rackbeatFailure } from "./failures";
import type { IntegrationOptions } from "./options";
import { rackbeatEventInputSchema } from "./rackbeat-webhook";

/**
 * The debitor integration's webhooks: while "Aktiver debitor-integration" is on (and the integration
 * is activated), one Rackbeat webhook per master-data event (customer, customer group and product
 * group created and updated; names from `company_integrations.rackbeat_record_events`, defaults in
 * lib/sync/record-key.ts); none while it is off. Each webhook's token is stored as a hash only.
 */
export type RecordWebhooksResult =
  | { ok: true; events: string[] }
  | { ok: false; error: ConnectionFailure | "notConnected" };

export async function syncRecordWebhooks(
  db: Db,
  companyId: string,
  options: IntegrationOptions = {},
): Promise<RecordWebhooksResult> {
  const integration = await loadIntegration(db, companyId);
  const client = rackbeatClientFor(integration, options);
  if (!integration || !client) return { ok: false, error: "notConnected" };
  const { values } = await loadSettings(db, companyId);
  const wanted =
    integration.activated && values.debtorIntegration
      ? [...new Set(Object.values(recordEventNames(integration.rackbeatRecordEvents)))]
      : [];
  const current = integration.rackbeatRecordWebhooks;
  const keep = current.filter((hook) => wanted.includes(hook.event));
  const added: typeof current = [];
  try {
    for (const event of wanted.filter((e) => !keep.some((hook) => hook.event === e))) {
      const webhook = await client.registerWebhookWithToken({ event, url: rackbeatWebhookUrl(options) });
      added.push({ event, webhookId: String(webhook.id), tokenHash: hashToken(webhook.token) });
    }
  } catch (error) {
    // Keep what was registered so far: the intake accepts those, a retry registers the rest.
    await store(db, companyId, [...keep, ...added, ...current.filter((h) => !keep.includes(h))]);
    return { ok: false, error: rackbeatFailure(error) };
  }
  await store(db, companyId, [...keep, ...added]);
  for (const hook of current.filter((h) => !keep.includes(h))) {
    // Best effort: a leftover webhook's deliveries are refused by the intake (unknown token).
    await client.deleteWebhook(Number(hook.webhookId)).catch(() => undefined);
  }
  return { ok: true, events: wanted };
}

async function store(
  db: Db,
  companyId: string,
  hooks: { event: string; webhookId: string; tokenHash: string }[],
): Promise<void> {
  await db
    .update(companyIntegrations)
    .set({ rackbeatRecordWebhooks: hooks, updatedAt: new Date() })
    .where(eq(companyIntegrations.companyId, companyId));
}

/** The six event names as the setup guide's form sends them (field `customer.created`, …). */
export function parseRecordEventsInput(
  values: Record<string, string | undefined>,
): { ok: true; names: RecordEventNames } | { ok: false; errors: Record<string, string[]> } {
  const names: Partial<RecordEventNames> = {};
  const errors: Record<string, string[]> = {};
  for (const slot of Object.keys(DEFAULT_RECORD_EVENTS) as (keyof RecordEventNames)[]) {
    const parsed = rackbeatEventInputSchema.safeParse({ event: values[slot] ?? "" });
    if (parsed.success) names[slot] = parsed.data.event;
    else errors[slot] = parsed.error.issues.map((issue) => issue.message);
  }
  const used = Object.values(names);
  for (const [slot, name] of Object.entries(names)) {
    if (used.indexOf(name) !== used.lastIndexOf(name)) errors[slot] = ["duplicate"];
  }
  return Object.keys(errors).length > 0
    ? { ok: false, errors }
    : { ok: true, names: names as RecordEventNames };
}

/** "Gem hændelsesnavne": the names stored, the webhooks registered under them (new before old go). */
export async function changeRecordEvents(
  db: Db,
  companyId: string,
  names: RecordEventNames,
  options: IntegrationOptions = {},
): Promise<RecordWebhooksResult> {
  await db
    .update(companyIntegrations)
    .set({ rackbeatRecordEvents: names, updatedAt: new Date() })
    .where(eq(companyIntegrations.companyId, companyId));
  return syncRecordWebhooks(db, companyId, options);
}
