import "server-only";
import nodemailer from "nodemailer";
import { env, isSandboxMode } from "@/lib/env";

/**
 * Outgoing mail. One interface, two deliveries: SMTP through nodemailer, or (in sandbox mode without
 * SMTP_URL) nothing leaves the machine and the caller keeps the mail in the `mail_outbox` table.
 */

export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

export type MailDelivery = { delivery: "sent"; messageId: string } | { delivery: "outbox" };

export interface Mailer {
  /** "sent" once the SMTP server accepted the message; "outbox" when it is only to be kept locally. */
  send(message: MailMessage): Promise<MailDelivery>;
  close?(): void;
}

/** nodemailer over an `smtp://` or `smtps://` URL (credentials, if any, in the URL). */
export function smtpMailer(smtpUrl: string, options: { timeoutMs?: number } = {}): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport(smtpUrl, {});
  const base = transport.options as Record<string, unknown>;
  base.connectionTimeout = timeout;
  base.greetingTimeout = timeout;
  base.socketTimeout = timeout;
  return {
    async send(message) {
      const info = (await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          content: Buffer.from(a.content),
          contentType: a.contentType,
        })),
      })) as { messageId?: string };
      return { delivery: "sent", messageId: info.messageId ?? "" };
    },
    close: () => transport.close(),
  };
}

/** Keeps mail in the outbox only (sandbox mode without SMTP). */
export const outboxMailer: Mailer = {
  send: async () => ({ delivery: "outbox" }),
};

let cached: { url: string | undefined; mailer: Mailer | null } | undefined;

/**
 * The configured mailer: SMTP when `SMTP_URL` is set; the outbox in sandbox mode without it; null in
 * production without SMTP (sending is then refused with a clear reason, never silently dropped).
 */
export function mailerFromEnv(): Mailer | null {
  const url = env().SMTP_URL || undefined;
  if (cached && cached.url === url) return cached.mailer;
  const mailer = url ? smtpMailer(url) : isSandboxMode() ? outboxMailer : null;
  cached = { url, mailer };
  return mailer;
}
