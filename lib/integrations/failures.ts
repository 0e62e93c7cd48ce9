import { EconomicError } from "@/lib/economic";
import { RackbeatError } from "@/lib/rackbeat";

/**
 * Why a connection attempt failed, as a key the UI translates:
 * - `invalidCredentials`: the system refused the token or key (401/403);
 * - `unreachable`: no answer, a time-out, throttling or a server error (worth trying again later);
 * - `unexpected`: anything else (an answer we could not read, a bug).
 */
export type ConnectionFailure = "invalidCredentials" | "unreachable" | "unexpected";

export function economicFailure(error: unknown): ConnectionFailure {
  if (!(error instanceof EconomicError)) return "unexpected";
  if (error.status === 401 || error.status === 403) return "invalidCredentials";
  if (error.kind === "timeout" || error.kind === "network") return "unreachable";
  if (error.status === 429 || (error.status ?? 0) >= 500) return "unreachable";
  return "unexpected";
}

export function rackbeatFailure(error: unknown): ConnectionFailure {
  if (!(error instanceof RackbeatError)) return "unexpected";
  if (error.status === 401 || error.status === 403) return "invalidCredentials";
  if (error.isTransient) return "unreachable";
  return "unexpected";
}

/** Tokens and keys travel in HTTP headers: printable ASCII without spaces, or they cannot be sent at all. */
export const HEADER_SAFE_SECRET = /^[\x21-\x7e]+$/;
