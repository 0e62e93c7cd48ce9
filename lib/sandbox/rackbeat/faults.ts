import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { notFound, parseBody, unauthenticated } from "./http";
import { rbAccounts, rbWebhookDeliveries, rbWebhooks } from "./schema";

/**
 * `POST /sandbox/rackbeat/accounts/{id}/faults` (authenticated by the account's API key):
 * - `{"dropWebhooks":0.3}`: that share of webhook deliveries is dropped for good (recorded as
 *   `dropped`, never sent or retried), as when Rackbeat gives up after a day of failures;
 * - `{"minimalShapes":true}`: invoices, customers and products answer in the minimal shape of
 *   Rackbeat's public SDK models (no `date`, `project`, customer `vat_zone`/`currency`/`group`,
 *   `unit` as `{name}`);
 * - `{"invoiceEvent":"customer_invoice.booked"}`: the event name booking an invoice fires;
 * - `{"deactivateWebhooks":true}`: every webhook of the account is deactivated (`is_active` false).
 * `DELETE` resets them all.
 */
const faultsInput = z.strictObject({
  dropWebhooks: z.number().min(0).max(1).optional(),
  minimalShapes: z.boolean().optional(),
  invoiceEvent: z.string().trim().min(1).max(255).optional(),
  deactivateWebhooks: z.literal(true).optional(),
});

export async function authorizeAccountAdmin(db: Db, request: Request, id: string): Promise<number> {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!key) throw unauthenticated();
  const [account] = await db
    .select({ id: rbAccounts.id, apiKey: rbAccounts.apiKey })
    .from(rbAccounts)
    .where(eq(rbAccounts.id, Number(id)));
  if (!account) throw notFound("Account");
  if (account.apiKey !== key) throw unauthenticated();
  return account.id;
}

export async function setFaults(db: Db, accountId: number, body: unknown) {
  const input = parseBody(faultsInput, body);
  const { deactivateWebhooks, ...settings } = input;
  if (Object.keys(settings).length > 0) {
    await db
      .update(rbAccounts)
      .set({ ...settings, updatedAt: new Date() })
      .where(eq(rbAccounts.id, accountId));
  }
  if (deactivateWebhooks) {
    await db.update(rbWebhooks).set({ isActive: false }).where(eq(rbWebhooks.accountId, accountId));
  }
  return accountFaults(db, accountId);
}

export async function clearFaults(db: Db, accountId: number) {
  await db
    .update(rbAccounts)
    .set({ dropWebhooks: 0, minimalShapes: false, invoiceEvent: "invoice.booked", updatedAt: new Date() })
    .where(eq(rbAccounts.id, accountId));
  return accountFaults(db, accountId);
}

export async function accountFaults(db: Db, accountId: number) {
  const [row] = await db
    .select({
      dropWebhooks: rbAccounts.dropWebhooks,
      minimalShapes: rbAccounts.minimalShapes,
      invoiceEvent: rbAccounts.invoiceEvent,
    })
    .from(rbAccounts)
    .where(eq(rbAccounts.id, accountId));
  if (!row) throw notFound("Account");
  return row;
}

/** Marks a share of fresh deliveries as dropped for good; returns those still to send. */
export async function dropShareOf<T extends { id: number }>(
  db: Db,
  deliveries: T[],
  rate: number,
  random: () => number = Math.random,
): Promise<T[]> {
  if (rate <= 0 || deliveries.length === 0) return deliveries;
  const dropped = deliveries.filter(() => random() < rate);
  if (dropped.length === 0) return deliveries;
  await db
    .update(rbWebhookDeliveries)
    .set({ status: "dropped", lastError: "dropped by the dropWebhooks fault", updatedAt: new Date() })
    .where(
      inArray(
        rbWebhookDeliveries.id,
        dropped.map((d) => d.id),
      ),
    );
  const ids = new Set(dropped.map((d) => d.id));
  return deliveries.filter((d) => !ids.has(d.id));
}
