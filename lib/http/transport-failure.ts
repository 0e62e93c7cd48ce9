/**
 * Tells apart the ways a `fetch` can fail without an HTTP status, because they differ in the one
 * thing a caller of a non-idempotent request must know: could the server have acted on it?
 * A refused or unresolvable connection means nothing was sent; a time-out or a connection lost
 * mid-exchange means the request may have arrived and been committed.
 */

export type TransportFailureKind = "timeout" | "aborted" | "connect" | "dropped";

export interface TransportFailure {
  kind: TransportFailureKind;
  /** False only when we know the request never left (connection refused, DNS failure). */
  mayHaveBeenSent: boolean;
  /** The system or undici error code, when there is one (ECONNREFUSED, UND_ERR_SOCKET, ...). */
  code?: string;
}

const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Classifies an error thrown by `fetch` or by reading a response body. `callerSignal` is the
 * caller's own signal: its abort is reported as "aborted", while any other abort or TimeoutError
 * counts as a time-out. Returns undefined for errors that are not transport failures.
 */
export function describeTransportFailure(
  error: unknown,
  callerSignal?: AbortSignal,
): TransportFailure | undefined {
  if (callerSignal?.aborted) return { kind: "aborted", mayHaveBeenSent: true };
  const name = error instanceof Error || error instanceof DOMException ? error.name : undefined;
  if (name === "TimeoutError" || name === "AbortError") return { kind: "timeout", mayHaveBeenSent: true };
  if (!(error instanceof Error)) return undefined;
  const code = errorCode(error);
  if (code && NOT_SENT_CODES.has(code)) return { kind: "connect", mayHaveBeenSent: false, code };
  // undici reports every other socket-level failure as TypeError("fetch failed" | "terminated").
  if (error instanceof TypeError || code) return { kind: "dropped", mayHaveBeenSent: true, code };
  return undefined;
}

function errorCode(error: Error): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string") return code;
    // Happy-eyeballs connects fail with an AggregateError of per-address errors.
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const innerCode = inner instanceof Error ? (inner as Error & { code?: unknown }).code : undefined;
        if (typeof innerCode === "string") return innerCode;
      }
    }
    current = current.cause;
  }
  return undefined;
}
