import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "./router";

/** Admin calls (account creation, redelivery) one client may make per minute. */
export const SANDBOX_ADMIN_LIMIT = { max: 30, windowMs: 60_000 } as const;

// One sandbox (and one webhook dispatcher) per process, kept across development reloads.
const g = globalThis as unknown as { __rackbeatSandbox?: RackbeatSandboxHandler };

/**
 * The app's own Rackbeat sandbox: webhooks go only to this server's origin (APP_URL), so anyone
 * creating a sandbox account cannot make the server post elsewhere; admin endpoints are limited
 * per client IP.
 */
export function appRackbeatSandbox(): RackbeatSandboxHandler {
  g.__rackbeatSandbox ??= createRackbeatSandbox({
    db: getDb,
    webhookOrigin: new URL(env().APP_URL).origin,
    adminRateLimit: {
      ...SANDBOX_ADMIN_LIMIT,
      clientKey: (request) => clientIp(request.headers, env().TRUSTED_PROXY_HOPS) ?? "unknown",
    },
  });
  return g.__rackbeatSandbox;
}
