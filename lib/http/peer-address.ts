import http from "node:http";
import https from "node:https";
import { forwardedChain, PEER_CHAIN_HEADER } from "./client-ip";

const INSTALLED = Symbol.for("rackbeat-economic.peer-chain-stamp");

/**
 * Writes PEER_CHAIN_HEADER on every incoming request of every HTTP server in this process: the
 * X-Forwarded-For entries as received, then the socket's peer address. It replaces whatever a
 * client sent under that name, so only the server itself can set it. Runs once, from
 * instrumentation.ts, before Next.js copies the headers into its request objects.
 */
export function installPeerAddressStamp(): void {
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Array<
    Record<symbol | string, unknown> & { emit: (event: string | symbol, ...args: unknown[]) => boolean }
  >) {
    if (proto[INSTALLED]) continue;
    const emit = proto.emit;
    proto.emit = function stampPeerChain(this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") stamp(args[0] as http.IncomingMessage);
      return emit.call(this, event, ...args);
    };
    proto[INSTALLED] = true;
  }
}

export function stamp(request: http.IncomingMessage): void {
  const forwarded = request.headers["x-forwarded-for"];
  const received = Array.isArray(forwarded) ? forwarded.join(",") : forwarded;
  request.headers[PEER_CHAIN_HEADER] = forwardedChain(
    received,
    request.socket?.remoteAddress || "unknown",
  ).join(", ");
}
