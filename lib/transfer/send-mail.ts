import "server-only";
import type { Db } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { format } from "@/lib/i18n/locale";
import { transferDa } from "@/lib/i18n/messages/transfer";
import type { MailDelivery, Mailer } from "@/lib/mail";
import { formatDanish, parseDecimal } from "@/lib/money/decimal";
import { chooseMailRecipient } from "./mail-recipient";

export interface InvoiceMail {
  companyId: string;
  transferId: string;
  from: string;
  to: string;
  /** The sender company as the customer knows it (e-conomic's company name). */
  companyName: string;
  customerName: string;
  bookedNumber: number;
  netAmount?: string;
  grossAmount?: string;
  currency: string;
  pdf: Uint8Array;
}

/** The customer-facing texts are Danish: the invoice itself is. */
export function invoiceMailTexts(mail: InvoiceMail): { subject: string; text: string; filename: string } {
  const amount = mail.grossAmount ?? mail.netAmount;
  const values = {
    number: mail.bookedNumber,
    company: mail.companyName,
    customer: mail.customerName,
    amount: amount === undefined ? "" : formatDanish(parseDecimal(amount), 2),
    currency: mail.currency,
  };
  return {
    subject: format(transferDa.mail.subject, values),
    text: format(transferDa.mail.body, values),
    filename: `faktura-${mail.bookedNumber}.pdf`,
  };
}

/**
 * Sends the booked invoice's PDF and records the mail in `mail_outbox` (delivery "sent" with the
 * SMTP message id, or "outbox" when kept locally), so the transfer shows what went out.
 */
export async function sendInvoiceMail(db: Db, mailer: Mailer, mail: InvoiceMail): Promise<MailDelivery> {
  // A list here would reach every address on it: the plan picks one (`chooseMailRecipient`).
  const recipient = chooseMailRecipient(mail.to);
  if (recipient.kind !== "ok" || recipient.to !== mail.to.trim() || recipient.ignored.length > 0) {
    throw new Error("An invoice mail goes to exactly one valid address");
  }
  const { subject, text, filename } = invoiceMailTexts(mail);
  const delivery = await mailer.send({
    from: mail.from,
    to: mail.to,
    subject,
    text,
    attachments: [{ filename, content: mail.pdf, contentType: "application/pdf" }],
  });
  await db.insert(mailOutbox).values({
    companyId: mail.companyId,
    transferId: mail.transferId,
    fromAddress: mail.from,
    toAddress: mail.to,
    subject,
    body: text,
    attachmentName: filename,
    attachment: Buffer.from(mail.pdf).toString("base64"),
    delivery: delivery.delivery,
    messageId: delivery.delivery === "sent" ? delivery.messageId : null,
  });
  return delivery;
}
