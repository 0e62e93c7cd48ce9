/**
 * - `http`: Rackbeat answered with an error status (401, 404, 422, 429, 5xx, ...).
 * - `timeout` / `network`: no (complete) answer.
 * - `aborted`: the caller's signal.
 * - `response`: a success status with a body we could not read or parse.
 */
export type RackbeatErrorKind = "http" | "timeout" | "network" | "aborted" | "response";

export interface RackbeatErrorInit {
  kind: RackbeatErrorKind;
  method: string;
  path: string;
  status?: number;
  message: string;
  fieldErrors?: Record<string, string[]>;
  retryAfterMs?: number;
  cause?: unknown;
}

/** The only error the Rackbeat client throws. */
export class RackbeatError extends Error {
  override readonly name = "RackbeatError";
  readonly kind: RackbeatErrorKind;
  readonly method: string;
  readonly path: string;
  /** HTTP status; undefined when no response arrived. */
  readonly status?: number;
  /** Validation errors of a 422, by field (`{"customer_id":["..."]}`); empty otherwise. */
  readonly fieldErrors: Record<string, string[]>;
  readonly retryAfterMs?: number;
  /** Attempts made in total (set when the client gives up). */
  attempts = 1;

  constructor(init: RackbeatErrorInit) {
    super(init.message, { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.fieldErrors = init.fieldErrors ?? {};
    this.retryAfterMs = init.retryAfterMs;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** Worth retrying later: throttled, a server error, or no answer. */
  get isTransient(): boolean {
    return (
      this.kind === "timeout" || this.kind === "network" || this.status === 429 || (this.status ?? 0) >= 500
    );
  }
}
