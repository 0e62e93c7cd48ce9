import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import type { RackbeatConnectFailure } from "@/lib/integrations/connect-rackbeat";
import type { ConnectionFailure } from "@/lib/integrations/failures";

// Failure keys from lib/integrations, in the user's language. Shared by the actions, the grant
// callback's result and the page.

export function economicFailureMessage(t: Messages, failure: ConnectionFailure): string {
  const e = t.setup.errors;
  switch (failure) {
    case "invalidCredentials":
      return e.invalidToken;
    case "unreachable":
      return e.economicUnreachable;
    case "unexpected":
      return e.economicUnexpected;
  }
}

export function rackbeatFailureMessage(t: Messages, failure: RackbeatConnectFailure): string {
  const e = t.setup.errors;
  switch (failure) {
    case "invalidCredentials":
      return e.invalidKey;
    case "unreachable":
      return e.rackbeatUnreachable;
    case "unexpected":
      return e.rackbeatUnexpected;
    case "accountInUse":
      return e.accountInUse;
    case "webhookFailed":
      return e.webhookFailed;
  }
}

/** A zod error key (`required`, `tooLong`, `email`, `invalidFormat`) as text. */
export function validationMessage(t: Messages, key: string, max: number): string {
  if (key === "invalidFormat") return t.setup.errors.invalidFormat;
  const template = t.validation[key as keyof Messages["validation"]] ?? t.errors.unexpected;
  return format(template, { max });
}
