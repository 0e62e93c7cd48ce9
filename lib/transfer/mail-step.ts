import { eq } from "drizzle-orm";
import { mailOutbox } from "@/db/schema";
import type { Mailer } from "@/lib/mail";
import { decimalOf, type Run, stageCheckpoint } from "./attempt";
import type { BookedInvoice } from "./booking-step";
import { retryLater } from "./errors";
import type { PlanInvoice } from "./plan-types";
import { sendInvoiceMail } from "./send-mail";

/**
 * The mail step, last in the flow ("Bogfør og send"): the invoice booked by booking-step.ts is
 * fetched as a PDF from e-conomic and mailed to the customer (send-mail.ts), at most once — the
 * outbox row written when the SMTP server accepted it is the proof an earlier attempt sent it.
 */

/** Mails the booked invoice's PDF to `to` from `from`, unless an earlier attempt did. */
export async function emailPdf(
  run: Run,
  mailer: Mailer,
  invoice: PlanInvoice,
  booked: BookedInvoice,
  to: string,
  from: string,
): Promise<void> {
  if (run.checkpoint.mail?.sent) return;
  // The SMTP server may have accepted the mail just before an earlier attempt died: the outbox
  // row written right after acceptance is the proof, so a mail is never sent twice.
  const [already] = await run.db
    .select({ id: mailOutbox.id, messageId: mailOutbox.messageId })
    .from(mailOutbox)
    .where(eq(mailOutbox.transferId, run.transfer.id))
    .limit(1);
  if (!already) {
    const pdf = await run.economic.bookedInvoices.pdf(booked.number, { signal: run.ctx.signal });
    try {
      const delivery = await sendInvoiceMail(run.db, mailer, {
        companyId: run.transfer.companyId,
        transferId: run.transfer.id,
        from,
        to,
        companyName: run.integration.economicCompanyName ?? run.integration.rackbeatAccountName ?? "",
        customerName: invoice.customer.name,
        bookedNumber: booked.number,
        netAmount: decimalOf(booked.netAmount),
        grossAmount: decimalOf(booked.grossAmount),
        currency: invoice.currency,
        pdf,
      });
      run.checkpoint.mail = {
        sent: true,
        ...(delivery.delivery === "sent" ? { messageId: delivery.messageId } : {}),
      };
    } catch (error) {
      const detail = error instanceof Error ? error.message.slice(0, 200) : String(error);
      throw retryLater({ code: "mail_failed", params: { detail }, detail });
    }
  } else {
    run.checkpoint.mail = { sent: true, ...(already.messageId ? { messageId: already.messageId } : {}) };
  }
  // The outbox row is the proof of the mail: the checkpoint goes with the completion.
  stageCheckpoint(run, { sentBy: "email" });
}
