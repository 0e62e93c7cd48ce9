import { randomInt } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, rowsOf } from "@/db/client";
import type { WebhookDispatcher } from "./dispatcher";
import { invalid, notFound, type Page, parseBody } from "./http";
import {
  type RbWebhook,
  type RbWebhookDelivery,
  rbWebhookDeliveries,
  rbWebhookDeliveryAttempts,
  rbWebhooks,
} from "./schema";

/** The event the sandbox fires when a customer invoice is booked (the real name is unconfirmed). */
export const INVOICE_BOOKED_EVENT = "invoice.booked";

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function newWebhookToken(): string {
  let token = "";
  for (let i = 0; i < 32; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

export function serializeWebhook(w: RbWebhook, withToken = false, failures = 0) {
  return {
    id: w.id,
    event: w.event,
    url: w.url,
    is_active: w.isActive,
    failures_since_last_success: failures,
    ...(withToken ? { token: w.token } : {}),
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
  };
}

const webhookInput = z.looseObject({
  event: z.string().trim().min(1, { error: "The event field is required." }).max(255),
  url: z.url({ protocol: /^https?$/, error: "The url must be a valid http(s) URL." }).max(2000),
});

/** Whether the sandbox may send to this URL: anywhere without an origin, else that origin only. */
export function deliverableTo(url: string, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * Registers a webhook. The same event and URL again updates (re-activates) the existing one and
 * answers it without its token: the token is shown only once, at creation. With `origin` set, a
 * URL elsewhere is refused (the sandbox posts only to this app).
 */
export async function registerWebhook(db: Db, accountId: number, body: unknown, origin?: string) {
  const input = parseBody(webhookInput, body);
  if (!deliverableTo(input.url, origin)) {
    throw invalid({ url: [`The sandbox delivers webhooks only to ${origin}.`] });
  }
  const [created] = await db
    .insert(rbWebhooks)
    .values({ accountId, event: input.event, url: input.url, token: newWebhookToken() })
    .onConflictDoNothing({ target: [rbWebhooks.accountId, rbWebhooks.event, rbWebhooks.url] })
    .returning();
  if (created) return { created: true, webhook: serializeWebhook(created, true) };
  const [updated] = await db
    .update(rbWebhooks)
    .set({ isActive: true, updatedAt: new Date() })
    .where(
      and(
        eq(rbWebhooks.accountId, accountId),
        eq(rbWebhooks.event, input.event),
        eq(rbWebhooks.url, input.url),
      ),
    )
    .returning();
  return { created: false, webhook: serializeWebhook(updated!) };
}

export async function listWebhooks(db: Db, accountId: number, page: Page) {
  const where = eq(rbWebhooks.accountId, accountId);
  const rows = await db
    .select()
    .from(rbWebhooks)
    .where(where)
    .orderBy(asc(rbWebhooks.id))
    .limit(page.limit)
    .offset(page.offset);
  const failures = await failuresSinceLastSuccess(
    db,
    rows.map((w) => w.id),
  );
  return {
    items: rows.map((w) => serializeWebhook(w, false, failures.get(w.id) ?? 0)),
    total: await db.$count(rbWebhooks, where),
  };
}

/**
 * Rackbeat's `failures_since_last_success`: failed attempts of a webhook's deliveries after its
 * last successful one. Counted when listed, so delivering writes nothing more.
 */
async function failuresSinceLastSuccess(db: Db, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ webhook_id: number; failures: number }>(
    await db.execute(sql`
      with attempts as (
        select d.webhook_id, a.created_at, coalesce(a.response_status between 200 and 299, false) as ok
        from rackbeat_sandbox.webhook_delivery_attempts a
        join rackbeat_sandbox.webhook_deliveries d on d.id = a.delivery_id
        where d.webhook_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})
      ), last_ok as (
        select webhook_id, max(created_at) as at from attempts where ok group by webhook_id
      )
      select a.webhook_id, count(*)::int as failures from attempts a
      left join last_ok l on l.webhook_id = a.webhook_id
      where not a.ok and (l.at is null or a.created_at > l.at)
      group by a.webhook_id`),
  );
  return new Map(rows.map((r) => [Number(r.webhook_id), Number(r.failures)]));
}

export async function deleteWebhook(db: Db, accountId: number, id: number) {
  const deleted = await db
    .delete(rbWebhooks)
    .where(and(eq(rbWebhooks.accountId, accountId), eq(rbWebhooks.id, id)))
    .returning({ id: rbWebhooks.id });
  if (deleted.length === 0) throw notFound("Webhook");
}

/**
 * Inserts one delivery per active webhook of `event`, inside the caller's transaction, with the
 * exact request to send, so a redelivery is identical.
 */
export async function insertDeliveries(
  tx: Db,
  accountId: number,
  event: string,
  key: string,
  origin?: string,
) {
  const found = await tx
    .select()
    .from(rbWebhooks)
    .where(
      and(eq(rbWebhooks.accountId, accountId), eq(rbWebhooks.event, event), eq(rbWebhooks.isActive, true)),
    );
  const hooks = found.filter((hook) => deliverableTo(hook.url, origin));
  if (hooks.length === 0) return [];
  const body = JSON.stringify({ key_name: "number", key });
  return tx
    .insert(rbWebhookDeliveries)
    .values(
      hooks.map((hook) => ({
        accountId,
        webhookId: hook.id,
        event,
        key,
        url: hook.url,
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Rackbeat Webhook",
          "Rackbeat-Webhook-Token": hook.token,
          "Rackbeat-Webhook-Event": event,
          "Rackbeat-Account-Id": String(accountId),
        },
        body,
      })),
    )
    .returning();
}

export function serializeDelivery(d: RbWebhookDelivery) {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event: d.event,
    key: d.key,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    response_status: d.responseStatus,
    last_error: d.lastError,
    delivered_at: d.deliveredAt?.toISOString() ?? null,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

export async function listDeliveries(db: Db, accountId: number, page: Page) {
  const where = eq(rbWebhookDeliveries.accountId, accountId);
  const rows = await db
    .select()
    .from(rbWebhookDeliveries)
    .where(where)
    .orderBy(desc(rbWebhookDeliveries.id))
    .limit(page.limit)
    .offset(page.offset);
  return { items: rows.map(serializeDelivery), total: await db.$count(rbWebhookDeliveries, where) };
}

async function findDelivery(db: Db, accountId: number, id: number) {
  const [row] = await db
    .select()
    .from(rbWebhookDeliveries)
    .where(and(eq(rbWebhookDeliveries.accountId, accountId), eq(rbWebhookDeliveries.id, id)));
  if (!row) throw notFound("Webhook delivery");
  return row;
}

/** One delivery with its recorded attempts, oldest first. */
export async function getDelivery(db: Db, accountId: number, id: number) {
  const row = await findDelivery(db, accountId, id);
  const attempts = await db
    .select()
    .from(rbWebhookDeliveryAttempts)
    .where(eq(rbWebhookDeliveryAttempts.deliveryId, id))
    .orderBy(asc(rbWebhookDeliveryAttempts.id));
  return {
    ...serializeDelivery(row),
    attempt_log: attempts.map((a) => ({
      response_status: a.responseStatus,
      error: a.error,
      duration_ms: a.durationMs,
      created_at: a.createdAt.toISOString(),
    })),
  };
}

/** Sends a delivery again, with the same URL, headers and body, and answers the outcome. */
export async function redeliver(
  db: Db,
  dispatcher: WebhookDispatcher,
  accountId: number,
  id: number,
  origin?: string,
) {
  const row = await findDelivery(db, accountId, id);
  if (!deliverableTo(row.url, origin)) {
    throw invalid({ url: [`The sandbox delivers webhooks only to ${origin}.`] });
  }
  const result = await dispatcher.sendNow(row);
  const updated = await findDelivery(db, accountId, id);
  return {
    ...serializeDelivery(updated),
    result: {
      ok: result.ok,
      response_status: result.responseStatus,
      error: result.error,
      duration_ms: result.durationMs,
    },
  };
}
