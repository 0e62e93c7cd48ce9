import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mailOutbox, memberships, users } from "@/db/schema";
import type { Locale } from "@/lib/i18n/locale";
import type { Mailer } from "@/lib/mail/mailer";
import { createCompany, EmailTakenError, type RegisterInput } from "./register";
import { recordFailure, secondsLocked, throttleKey } from "./throttle";

export type RegistrationResult =
  | {
      /** The same for a new and an already registered e-mail: the answer reveals no accounts. */
      ok: true;
      /** Resolves when the existing owner has been told (never awaited by the request). */
      notified: Promise<void>;
    }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export interface RegistrationOptions {
  ip: string | null;
  locale: Locale;
  /** Null in production without SMTP: the notice is then only logged. */
  mailer: Mailer | null;
  /** Sender of the notice. */
  from: string;
  appUrl: string;
  /** Registrations per IP before back-off (REGISTRATIONS_PER_IP); THROTTLE_POLICY's by default. */
  freePerIp?: number;
}

/**
 * Registers a company with its first administrator. Every attempt counts against the IP's
 * registration throttle. An e-mail that already has an account gets no new company; its owner is
 * told by e-mail instead (kept in the outbox in sandbox mode), and the caller answers exactly as
 * for a new account.
 */
export async function registerCompany(
  db: Db,
  input: RegisterInput,
  options: RegistrationOptions,
): Promise<RegistrationResult> {
  const key = throttleKey("register", options.ip ?? "unknown");
  const wait = await secondsLocked(db, [key]);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  await recordFailure(db, key, "register", options.freePerIp);
  try {
    await createCompany(db, input.companyName, [
      {
        name: input.name,
        email: input.email,
        password: input.password,
        role: "admin",
        locale: options.locale,
      },
    ]);
    return { ok: true, notified: Promise.resolve() };
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    const notified = notifyExistingOwner(db, input.email, options).catch((cause) =>
      console.error("registration: telling the existing owner failed", cause),
    );
    return { ok: true, notified };
  }
}

async function notifyExistingOwner(db: Db, email: string, options: RegistrationOptions): Promise<void> {
  const [owner] = await db
    .select({ companyId: memberships.companyId, locale: users.locale })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, email))
    .limit(1);
  if (!owner) return;
  const subject = owner.locale === "en" ? NOTICE.en.subject : NOTICE.da.subject;
  const text = (owner.locale === "en" ? NOTICE.en.body : NOTICE.da.body).replace("{url}", options.appUrl);
  if (!options.mailer) {
    console.warn("registration: an existing e-mail was registered again; no SMTP_URL to tell its owner");
    return;
  }
  const delivery = await options.mailer.send({ from: options.from, to: email, subject, text });
  await db.insert(mailOutbox).values({
    companyId: owner.companyId,
    fromAddress: options.from,
    toAddress: email,
    subject,
    body: text,
    delivery: delivery.delivery,
    messageId: delivery.delivery === "sent" ? delivery.messageId : null,
  });
}

/** The notice goes to the address's owner in their own language. */
const NOTICE = {
  da: {
    subject: "Nogen forsøgte at oprette en konto med din e-mail",
    body:
      "Der blev lige forsøgt at oprette en ny virksomhed med denne e-mailadresse, men den har allerede en konto.\n\n" +
      "Var det dig, kan du logge ind på {url}/login. Var det ikke dig, kan du se bort fra denne e-mail: " +
      "intet er ændret.",
  },
  en: {
    subject: "Someone tried to create an account with your e-mail",
    body:
      "Someone just tried to create a new company with this e-mail address, which already has an account.\n\n" +
      "If it was you, sign in at {url}/login. If not, ignore this e-mail: nothing has changed.",
  },
} as const;
