/**
 * The client's IP address, for throttles. Forwarding headers are trusted only as far as the
 * operator says there are proxies in front of this server (TRUSTED_PROXY_HOPS): the chain is the
 * X-Forwarded-For entries as received followed by the socket's peer address, and the client is the
 * entry that many hops left of the peer. With 0 hops (the default) it is the socket address, and
 * any X-Forwarded-For a client sends is ignored.
 *
 * Next.js gives route handlers and actions no socket, and keeps a client-sent X-Forwarded-For
 * instead of the socket address, so `installPeerAddressStamp` (lib/http/peer-address.ts, run from
 * instrumentation.ts) writes the true chain into PEER_CHAIN_HEADER on every request, replacing
 * any value a client sent.
 */
export const PEER_CHAIN_HEADER = "x-peer-chain";

export function forwardedChain(
  forwardedFor: string | null | undefined,
  peer: string | null | undefined,
): string[] {
  const chain = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (peer) chain.push(normalizeAddress(peer));
  return chain;
}

/** `::ffff:10.0.0.1` (IPv4 on an IPv6 socket) is 10.0.0.1. */
function normalizeAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** The entry `hops` left of the rightmost; the leftmost when the chain is shorter. */
export function clientIpFromChain(chain: readonly string[], hops: number): string | null {
  if (chain.length === 0) return null;
  const index = Math.max(0, chain.length - 1 - Math.max(0, Math.floor(hops)));
  return normalizeAddress(chain[index]!);
}

export function clientIp(headers: Headers, hops: number): string | null {
  const stamped = headers.get(PEER_CHAIN_HEADER);
  // Without the stamp (a test harness, or a request that arrived before instrumentation ran) Next
  // has put the socket address in X-Forwarded-For when the client sent none.
  const chain =
    stamped !== null
      ? stamped
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : forwardedChain(headers.get("x-forwarded-for"), null);
  return clientIpFromChain(chain, hops);
}
