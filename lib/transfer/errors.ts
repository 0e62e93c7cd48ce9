import { EconomicError, type EconomicFieldError } from "@/lib/economic/errors";
import { format, type Locale } from "@/lib/i18n/locale";
import { transferDa, transferEn } from "@/lib/i18n/messages/transfer";
import { formatDanish, toDecimalString, tryParseDecimal } from "@/lib/money/decimal";
import { RackbeatShapeError } from "@/lib/rackbeat/adapter";
import { RackbeatError } from "@/lib/rackbeat/errors";
import { InvoiceMappingError } from "./map-invoice";
import { AmountMismatchError, PlanInputError } from "./plan-types";
import { LeaseLostError, type ProcessOutcome, type TransferError } from "./types";

/**
 * Turns what went wrong into a `TransferError` a person can act on (code, 1-based Rackbeat line and
 * field, technical detail without tokens or personal data) and decides retry versus failed.
 */

type FailureOutcome = Extract<ProcessOutcome, { kind: "retry" | "failed" }>;

const messages = { da: transferDa, en: transferEn } as const;

/** `lines[2].unitNetPrice` → line 3, field "unitNetPrice"; `references.customerContact` → "customerContact". */
export function locateFieldError(path: string): { line?: number; field?: string } {
  const line = /^lines\[(\d+)\](?:\.([A-Za-z]+))?/.exec(path);
  if (line) return { line: Number(line[1]) + 1, field: line[2] ?? "line" };
  const parts = path.split(".").filter(Boolean);
  return parts.length === 0 ? {} : { field: parts.at(-1) };
}

/** The field error to show: line errors first (those the user fixes in Rackbeat), then the rest. */
function primaryFieldError(errors: EconomicFieldError[]): EconomicFieldError | undefined {
  return errors.find((e) => e.path.startsWith("lines[")) ?? errors[0];
}

function economicDetail(error: EconomicError): string {
  const status = error.status === undefined ? error.kind : String(error.status);
  return `${error.method} ${error.path} → ${status}${error.errorCode ? ` ${error.errorCode}` : ""}`;
}

export function economicValidationError(error: EconomicError): TransferError {
  const primary = primaryFieldError(error.fieldErrors);
  const located = primary ? locateFieldError(primary.path) : {};
  const fieldList = error.fieldErrors.map(
    (e) => `${e.path || "(document)"}: ${e.errorCode ?? ""} ${e.message}`,
  );
  return {
    code: "economic_validation",
    ...(located.line === undefined ? {} : { line: located.line }),
    ...(located.field === undefined ? {} : { field: located.field }),
    params: {
      message: primary?.message ?? error.message,
      ...(primary?.errorCode ? { errorCode: primary.errorCode } : {}),
    },
    detail: [economicDetail(error), ...fieldList].join("; ").slice(0, 2000),
  };
}

export function classifyEconomicError(error: EconomicError): FailureOutcome {
  const detail = economicDetail(error);
  if (error.kind === "request") return { kind: "failed", error: economicValidationError(error) };
  if (error.kind === "http") {
    const status = error.status ?? 0;
    if (status === 429) {
      return {
        kind: "retry",
        error: { code: "economic_rate_limited", detail },
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      };
    }
    if (status >= 500) {
      return {
        kind: "retry",
        error: { code: "economic_unavailable", params: { detail: String(status) }, detail },
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      };
    }
    if (status === 401 || status === 403)
      return { kind: "failed", error: { code: "economic_unauthorized", detail } };
    if (status === 404) {
      return {
        kind: "failed",
        error: { code: "economic_not_found", params: { detail: error.path }, detail },
      };
    }
    return { kind: "failed", error: economicValidationError(error) };
  }
  // time-out, dropped connection, unreadable answer, aborted: all transient.
  return { kind: "retry", error: { code: "economic_unavailable", params: { detail: error.kind }, detail } };
}

export function classifyRackbeatError(error: RackbeatError): FailureOutcome {
  const detail = `${error.method} ${error.path} → ${error.status ?? error.kind}`;
  if (error.status === 404) return { kind: "failed", error: { code: "rackbeat_not_found", detail } };
  if (error.status === 401 || error.status === 403) {
    return { kind: "failed", error: { code: "rackbeat_unauthorized", detail } };
  }
  if (error.isTransient || error.kind === "aborted") {
    return {
      kind: "retry",
      error: { code: "rackbeat_unavailable", params: { detail: String(error.status ?? error.kind) }, detail },
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  return {
    kind: "failed",
    error: { code: "rackbeat_invalid", params: { detail: error.message.slice(0, 300) }, detail },
  };
}

/** Any error thrown while processing → the outcome for the queue. LeaseLostError is rethrown. */
export function outcomeOfError(error: unknown): FailureOutcome {
  if (error instanceof LeaseLostError) throw error;
  if (error instanceof EconomicError) return classifyEconomicError(error);
  if (error instanceof RackbeatError) return classifyRackbeatError(error);
  if (
    error instanceof PlanInputError ||
    error instanceof InvoiceMappingError ||
    error instanceof RackbeatShapeError
  ) {
    return {
      kind: "failed",
      error: {
        code: error.code,
        field: error.field,
        params: { field: error.field, ...(error.value === undefined ? {} : { value: error.value }) },
      },
    };
  }
  if (error instanceof TransferFailure) return error.outcome;
  if (error instanceof AmountMismatchError) {
    const { rackbeatNet, economicNet, rackbeatGross, economicGross, currency } = error.amounts;
    return {
      kind: "failed",
      error: {
        code: "amounts_mismatch",
        params: { rackbeatNet, economicNet, rackbeatGross: rackbeatGross ?? "", economicGross, currency },
        detail: error.message,
      },
    };
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: "retry", error: { code: "internal", params: { detail: detail.slice(0, 200) }, detail } };
}

/** Thrown by the runner for a decided outcome deep inside a step. */
export class TransferFailure extends Error {
  constructor(readonly outcome: FailureOutcome) {
    super(outcome.error.code);
    this.name = "TransferFailure";
  }
}

export function failed(error: TransferError): TransferFailure {
  return new TransferFailure({ kind: "failed", error });
}

export function retryLater(error: TransferError, retryAfterMs?: number): TransferFailure {
  return new TransferFailure({
    kind: "retry",
    error,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** Params holding amounts (2-decimal strings), written in the reader's notation. */
const AMOUNT_PARAMS = new Set([
  "rackbeatNet",
  "economicNet",
  "rackbeatGross",
  "economicGross",
  "holderAmount",
]);

function localAmount(value: string | number, locale: Locale): string | number {
  const decimal = typeof value === "string" ? tryParseDecimal(value) : null;
  if (!decimal) return value;
  return locale === "da" ? formatDanish(decimal, 2) : toDecimalString(decimal, 2);
}

function stringParams(error: TransferError, locale: Locale): Record<string, string | number> {
  const params = Object.fromEntries(
    Object.entries(error.params ?? {}).map(([k, v]) => [
      k,
      AMOUNT_PARAMS.has(k) ? localAmount(v, locale) : v,
    ]),
  );
  return { code: error.code, detail: error.detail ?? "", ...params };
}

/** A sentence about the error in the reader's language. */
export function describeTransferError(error: TransferError, locale: Locale): string {
  const t = messages[locale];
  const params = stringParams(error, locale);
  if (error.code === "economic_validation" && error.field) {
    const fields = t.fields as Record<string, string>;
    const problems = t.problems as Record<string, string>;
    const field = fields[error.field] ?? format(t.fields.default, { field: error.field });
    const errorCode = typeof params.errorCode === "string" ? params.errorCode : undefined;
    const problem = format((errorCode && problems[errorCode]) || t.problems.default, params);
    if (error.line !== undefined) return format(t.lineError, { line: error.line, field, problem });
    return format(t.invoiceError, { field, problem });
  }
  const templates = t.errors as Record<string, string>;
  const template = templates[error.code];
  if (template) return format(template, params);
  const skip = (t.skipReasons as Record<string, string>)[error.code];
  return skip ?? format(t.errors.unknown, params);
}

export function describeSkipReason(reason: string, locale: Locale): string {
  return (messages[locale].skipReasons as Record<string, string>)[reason] ?? reason;
}

type NextStep = Exclude<keyof typeof transferDa.nextStep, "retrying">;

/** What the reader does about an error the app has given up on, by code. */
const nextStepOf: Record<string, NextStep> = {
  economic_unauthorized: "reconnectEconomic",
  rackbeat_unauthorized: "reconnectRackbeat",
  not_connected: "fixSetup",
  integration_defaults_missing: "fixSetup",
  sender_email_missing: "fixSetup",
  customer_group_account_missing: "fixSetup",
  product_group_accounts_missing: "fixSetup",
  mail_not_configured: "fixSetup",
  rackbeat_not_found: "fixInRackbeat",
  rackbeat_invalid: "fixInRackbeat",
  invalid_customer_number: "fixInRackbeat",
  invalid_project_number: "fixInRackbeat",
  invalid_decimal: "fixInRackbeat",
  product_number_too_long: "fixInRackbeat",
  customer_missing: "fixInRackbeat",
  customer_group_missing: "fixInRackbeat",
  invalid_vat_zone: "fixInRackbeat",
  product_missing: "fixInRackbeat",
  customer_email_missing: "fixInRackbeat",
  economic_validation: "fixInvoice",
  economic_not_found: "fixInvoice",
  book_number_taken: "fixInvoice",
  draft_amounts_mismatch: "fixInvoice",
  amounts_mismatch: "fixInRackbeat",
  customer_email_invalid: "fixInRackbeat",
  rackbeat_field_missing: "fixInRackbeat",
  currency_rate_mismatch: "fixInRackbeat",
};

/**
 * One sentence on what to do: nothing while the app retries by itself (`retrying`), else the fix
 * that fits the error, and "try again, then support" when nothing better is known.
 */
export function describeNextStep(code: string | undefined, locale: Locale, retrying: boolean): string {
  const t = messages[locale].nextStep;
  if (retrying) return t.retrying;
  return t[(code && nextStepOf[code]) || "tryAgain"];
}

/** How one attempt ended (`transfer_attempts.outcome`); null while it runs. */
export function describeAttemptOutcome(outcome: string | null, locale: Locale): string {
  const outcomes = messages[locale].outcomes as Record<string, string>;
  return outcomes[outcome ?? "running"] ?? outcome ?? "";
}
