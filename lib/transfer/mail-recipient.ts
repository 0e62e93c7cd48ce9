import { z } from "zod";

/**
 * The one address an invoice mail goes to. Rackbeat's customer `contact_email` is free text and may
 * hold a list ("x@a.dk, y@b.dk"): the first valid address is used and the rest are ignored (and
 * said so on the transfer), so a mail never reaches people nobody chose. Pure.
 */

export type MailRecipient =
  | { kind: "missing" }
  /** Something is there, but no part of it is an e-mail address. */
  | { kind: "invalid"; value: string }
  | { kind: "ok"; to: string; ignored: string[] };

const email = z.email();

export function chooseMailRecipient(raw: string | undefined | null): MailRecipient {
  const value = raw?.trim() ?? "";
  if (value === "") return { kind: "missing" };
  const parts = value
    .split(/[,;\s]+/)
    .map((part) => part.replace(/^<|>$/g, ""))
    .filter(Boolean);
  const index = parts.findIndex((part) => email.safeParse(part).success);
  if (index < 0) return { kind: "invalid", value: value.slice(0, 200) };
  return { kind: "ok", to: parts[index]!, ignored: parts.filter((_, i) => i !== index) };
}
