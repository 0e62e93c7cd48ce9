import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** The event we register for booked customer invoices (the real name is unconfirmed; configurable). */
export const RACKBEAT_INVOICE_BOOKED_EVENT = "invoice.booked";

export const RACKBEAT_WEBHOOK_HEADERS = {
  token: "rackbeat-webhook-token",
  event: "rackbeat-webhook-event",
  accountId: "rackbeat-account-id",
} as const;

/**
 * The body of a Rackbeat webhook: only the key (`{"key_name":"number","key":"1021"}`). Rackbeat's
 * docs also show `event` and `data`; extra fields are allowed and kept.
 */
export const rackbeatWebhookBodySchema = z.looseObject({
  key_name: z.string().min(1),
  key: z.union([z.string().min(1), z.number()]).transform(String),
});
export type RackbeatWebhookBody = z.infer<typeof rackbeatWebhookBodySchema>;

/**
 * Compares a received `Rackbeat-Webhook-Token` with the stored one in constant time (the token is
 * the only secret: Rackbeat signs nothing). Hashing both first makes lengths equal without leaking.
 */
export function verifyRackbeatWebhookToken(received: string | null | undefined, expected: string): boolean {
  if (!received || !expected) return false;
  const a = createHash("sha256").update(received).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
