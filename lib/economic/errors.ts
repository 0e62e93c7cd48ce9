import { z } from "zod";

/** One validation failure, flattened to the path of the request field it is about. */
export interface EconomicFieldError {
  /** e.g. `lines[0].unitNetPrice`, `customer`, `recipient.vatZone`; "" for the document itself. */
  path: string;
  errorCode?: string;
  message: string;
  value?: unknown;
  developerHint?: string;
}

/**
 * - `http`: e-conomic answered with an error status.
 * - `timeout` / `network`: no (complete) answer; see `mayHaveCommitted`.
 * - `aborted`: the caller's signal.
 * - `response`: a success status with a body we could not read or parse.
 * - `request`: our own input failed its schema before anything was sent.
 */
export type EconomicErrorKind = "http" | "timeout" | "network" | "aborted" | "response" | "request";

export interface EconomicErrorInit {
  kind: EconomicErrorKind;
  method: string;
  path: string;
  status?: number;
  errorCode?: string;
  message: string;
  developerHint?: string;
  logId?: string;
  fieldErrors?: EconomicFieldError[];
  mayHaveCommitted: boolean;
  retryAfterMs?: number;
  attempts?: number;
  cause?: unknown;
}

/** The only error the e-conomic client throws. */
export class EconomicError extends Error {
  override readonly name = "EconomicError";
  readonly kind: EconomicErrorKind;
  readonly method: string;
  readonly path: string;
  /** HTTP status; undefined when no response arrived. */
  readonly status?: number;
  readonly errorCode?: string;
  readonly developerHint?: string;
  readonly logId?: string;
  readonly fieldErrors: EconomicFieldError[];
  /**
   * Whether e-conomic may have carried out the request even though we saw a failure: true after a
   * time-out or a dropped connection once the request was sent, after a 5xx, or when a success
   * answer could not be parsed; false for 4xx and for requests that never left. For a POST the
   * caller should look the object up before creating it again, since e-conomic has no idempotency keys.
   */
  readonly mayHaveCommitted: boolean;
  readonly retryAfterMs?: number;
  /** How many attempts were made in total (set by the client when it gives up). */
  attempts: number;

  constructor(init: EconomicErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.developerHint = init.developerHint;
    this.logId = init.logId;
    this.fieldErrors = init.fieldErrors ?? [];
    this.mayHaveCommitted = init.mayHaveCommitted;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }

  /** Field errors keyed by path, the shape forms and logs want. */
  fieldErrorsByPath(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const e of this.fieldErrors) {
      const list = out[e.path] ?? [];
      list.push(e.message);
      out[e.path] = list;
    }
    return out;
  }
}

export function isEconomicError(error: unknown): error is EconomicError {
  return error instanceof EconomicError;
}

const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  errorCode: z.string().optional(),
  developerHint: z.string().optional(),
  logId: z.string().optional(),
  httpStatusCode: z.number().optional(),
  errors: z.unknown().optional(),
});

const errorItemSchema = z.looseObject({
  errorCode: z.string().optional(),
  message: z.string().optional(),
  value: z.unknown().optional(),
  developerHint: z.string().optional(),
});

export interface ParsedErrorBody {
  message?: string;
  errorCode?: string;
  developerHint?: string;
  logId?: string;
  fieldErrors: EconomicFieldError[];
}

/** Reads e-conomic's error document (validation or plain); tolerates any other body. */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return { fieldErrors: [] };
  const { message, errorCode, developerHint, logId, errors } = parsed.data;
  return { message, errorCode, developerHint, logId, fieldErrors: flattenValidationErrors(errors) };
}

/**
 * Flattens e-conomic's annotated errors, which mirror the request document: a property holding
 * `{errors:[...]}` failed itself, other properties nest, and arrays carry `arrayIndex` because
 * valid items are left out (so the position in the array is not the index in the request).
 */
export function flattenValidationErrors(errors: unknown, basePath = ""): EconomicFieldError[] {
  const out: EconomicFieldError[] = [];
  walk(errors, basePath, out);
  return out;
}

function walk(node: unknown, path: string, out: EconomicFieldError[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, position) => {
      const index = isRecord(item) && typeof item.arrayIndex === "number" ? item.arrayIndex : position;
      walk(item, `${path}[${index}]`, out);
    });
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "arrayIndex") continue;
    if (key === "errors" && Array.isArray(value)) {
      for (const item of value) {
        const e = errorItemSchema.safeParse(item);
        if (!e.success) continue;
        out.push({
          path,
          errorCode: e.data.errorCode,
          message: e.data.message ?? e.data.errorCode ?? "Invalid value",
          value: e.data.value,
          developerHint: e.data.developerHint,
        });
      }
      continue;
    }
    walk(value, path === "" ? key : `${path}.${key}`, out);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Maps our own schema failures to the same field-path shape as e-conomic's. */
export function fieldErrorsFromZod(error: z.ZodError): EconomicFieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.reduce<string>(
      (acc, key) =>
        typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`,
      "",
    ),
    errorCode: issue.code,
    message: issue.message,
  }));
}
