import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  economicCalls,
  mailOutbox,
  type Transfer,
  transferAttempts,
  transfers,
  webhookEvents,
} from "@/db/schema";
import { isUuid } from "./cursor";
import { maskJson, maskSensitive } from "./mask";

export interface TransferDetail {
  transfer: Transfer;
  attempts: Array<typeof transferAttempts.$inferSelect>;
  calls: Array<typeof economicCalls.$inferSelect>;
  mails: Array<{
    id: number;
    toAddress: string;
    subject: string;
    delivery: string;
    attachmentName: string | null;
    hasAttachment: boolean;
    createdAt: Date;
  }>;
  webhooks: Array<{ id: number; event: string; key: string; headers: unknown; receivedAt: Date }>;
}

/**
 * One transfer of this company with everything the detail page shows, or null when the id is not a
 * uuid or names another company's transfer (both answer 404). Call paths and errors come masked.
 */
export async function loadTransferDetail(
  db: Db,
  companyId: string,
  id: string,
): Promise<TransferDetail | null> {
  if (!isUuid(id)) return null;
  const [transfer] = await db
    .select()
    .from(transfers)
    .where(and(eq(transfers.id, id), eq(transfers.companyId, companyId)))
    .limit(1);
  if (!transfer) return null;
  const [attempts, calls, mails, webhooks] = await Promise.all([
    db
      .select()
      .from(transferAttempts)
      .where(eq(transferAttempts.transferId, id))
      .orderBy(asc(transferAttempts.attempt), asc(transferAttempts.id)),
    db
      .select()
      .from(economicCalls)
      .where(eq(economicCalls.transferId, id))
      .orderBy(asc(economicCalls.id))
      .limit(500),
    db
      .select({
        id: mailOutbox.id,
        toAddress: mailOutbox.toAddress,
        subject: mailOutbox.subject,
        delivery: mailOutbox.delivery,
        attachmentName: mailOutbox.attachmentName,
        hasAttachment: sql<boolean>`${mailOutbox.attachment} is not null`,
        createdAt: mailOutbox.createdAt,
      })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.transferId, id), eq(mailOutbox.companyId, companyId)))
      .orderBy(desc(mailOutbox.id)),
    db
      .select({
        id: webhookEvents.id,
        event: webhookEvents.event,
        key: webhookEvents.key,
        headers: webhookEvents.headers,
        receivedAt: webhookEvents.receivedAt,
      })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.transferId, id), eq(webhookEvents.companyId, companyId)))
      .orderBy(asc(webhookEvents.id)),
  ]);
  return {
    transfer,
    attempts,
    calls: calls.map((c) => ({
      ...c,
      path: maskSensitive(c.path),
      error: c.error && maskSensitive(c.error),
    })),
    mails: mails.map((m) => ({ ...m, hasAttachment: Boolean(m.hasAttachment) })),
    webhooks: webhooks.map((w) => ({ ...w, headers: maskJson(w.headers) })),
  };
}

/** A mail's attachment, only when the mail belongs to this company's transfer. */
export async function loadMailAttachment(
  db: Db,
  companyId: string,
  transferId: string,
  mailId: number,
): Promise<{ name: string; content: Buffer } | null> {
  if (!isUuid(transferId) || !Number.isSafeInteger(mailId) || mailId <= 0) return null;
  const [mail] = await db
    .select({ name: mailOutbox.attachmentName, attachment: mailOutbox.attachment })
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.id, mailId),
        eq(mailOutbox.transferId, transferId),
        eq(mailOutbox.companyId, companyId),
      ),
    )
    .limit(1);
  if (!mail?.attachment) return null;
  return { name: mail.name ?? "attachment.pdf", content: Buffer.from(mail.attachment, "base64") };
}

/** The booked number of this company's transfer, for the PDF route; null when none or not theirs. */
export async function loadBookedNumber(
  db: Db,
  companyId: string,
  transferId: string,
): Promise<number | null> {
  if (!isUuid(transferId)) return null;
  const [row] = await db
    .select({ booked: transfers.economicBookedNumber })
    .from(transfers)
    .where(and(eq(transfers.id, transferId), eq(transfers.companyId, companyId)))
    .limit(1);
  return row?.booked ?? null;
}

/** The draft number of this company's transfer while it is not booked; null otherwise. */
export async function loadDraftNumber(db: Db, companyId: string, transferId: string): Promise<number | null> {
  if (!isUuid(transferId)) return null;
  const [row] = await db
    .select({ draft: transfers.economicDraftNumber, booked: transfers.economicBookedNumber })
    .from(transfers)
    .where(and(eq(transfers.id, transferId), eq(transfers.companyId, companyId)))
    .limit(1);
  return row && row.booked === null ? row.draft : null;
}
