import type { Db } from "@/db/client";
import type { ExternalUrls } from "@/lib/env";
import { createEconomicSandbox } from "./economic/handler";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "./rackbeat";

/**
 * Both sandboxes behind one handler, mounted where the Next server mounts them (/sandbox/economic,
 * /sandbox/rackbeat), for `npm run sandbox`: a process of their own, so benchmarks and a production
 * server (SANDBOX=0) use them over HTTP without sharing the server's CPU or database.
 */
export interface StandaloneSandboxes {
  handler: (request: Request) => Promise<Response>;
  rackbeat: RackbeatSandboxHandler;
}

export function createStandaloneSandboxes(
  db: () => Promise<Db>,
  options: { webhookOrigin?: string; webhookConcurrency?: number } = {},
): StandaloneSandboxes {
  const economic = createEconomicSandbox({ db });
  const rackbeat = createRackbeatSandbox({
    db,
    ...(options.webhookOrigin ? { webhookOrigin: options.webhookOrigin } : {}),
    webhooks: { retryDelaysMs: [500, 2000, 8000], concurrency: options.webhookConcurrency ?? 32 },
  });
  const notFound = () => Response.json({ message: "Not found." }, { status: 404 });
  return {
    rackbeat,
    handler: async (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/health") return Response.json({ ok: true });
      if (path.startsWith("/sandbox/economic")) return economic(request);
      if (path.startsWith("/sandbox/rackbeat")) return rackbeat(request);
      return notFound();
    },
  };
}

/** The server's base-URL variables (lib/env.ts) for sandboxes served at `base`. */
export function sandboxEnv(base: string): Record<string, string> {
  const urls = sandboxUrls(base);
  return {
    ECONOMIC_API_URL: urls.economicRest,
    ECONOMIC_PRODUCTS_API_URL: urls.economicProducts,
    ECONOMIC_PROJECTS_API_URL: urls.economicProjects,
    ECONOMIC_GRANT_URL: urls.economicGrant,
    RACKBEAT_API_URL: urls.rackbeat,
  };
}

export function sandboxUrls(base: string): ExternalUrls {
  const b = base.replace(/\/$/, "");
  return {
    economicRest: `${b}/sandbox/economic`,
    economicProducts: `${b}/sandbox/economic/productsapi/v1.1.0`,
    economicProjects: `${b}/sandbox/economic/projectsapi/v1.1.0`,
    economicGrant: `${b}/sandbox/economic/requestaccess`,
    rackbeat: `${b}/sandbox/rackbeat/api`,
  };
}
