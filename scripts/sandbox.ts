/**
 * `npm run sandbox`: the e-conomic and Rackbeat sandboxes in a process of their own, on
 * SANDBOX_PORT (default 3100) at SANDBOX_HOST (default 127.0.0.1), mounted at the same paths as in
 * the Next server (/sandbox/economic, /sandbox/rackbeat). Point a server at it with the variables
 * it prints (ECONOMIC_API_URL, ..., RACKBEAT_API_URL; see lib/env.ts).
 *
 * State: the sandboxes keep their agreements, accounts, invoices and webhooks in their own tables
 * (lib/sandbox/economic/schema.ts, lib/sandbox/rackbeat/schema.ts; part of the product's migrations), in a database of their own, never
 * the server's:
 *   SANDBOX_DATABASE_URL   a Postgres database (migrated at start), or else
 *   SANDBOX_PGLITE_DIR     a PGlite directory (default memory://: in memory, gone at exit).
 *
 * Webhooks go wherever an account registered them; SANDBOX_WEBHOOK_ORIGIN limits them to one origin.
 */
import { openDb } from "@/db/client";
import { createStandaloneSandboxes, sandboxEnv } from "@/lib/sandbox/standalone";
import { serve } from "@/test/support/http";

const port = Number(process.env.SANDBOX_PORT ?? 3100);
const host = process.env.SANDBOX_HOST ?? "127.0.0.1";

async function main(): Promise<void> {
  const url = process.env.SANDBOX_DATABASE_URL;
  const handle = await openDb(
    url ? { url, max: 10 } : { pgliteDir: process.env.SANDBOX_PGLITE_DIR ?? "memory://" },
  );
  const sandboxes = createStandaloneSandboxes(async () => handle.db, {
    webhookOrigin: process.env.SANDBOX_WEBHOOK_ORIGIN,
  });
  const server = await serve(sandboxes.handler, { port, host });
  console.log(`sandboxes listening on ${server.url} (${handle.kind})`);
  for (const [name, value] of Object.entries(sandboxEnv(server.url))) console.log(`${name}=${value}`);
  const stop = async () => {
    await server.close();
    await handle.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error) => {
  console.error("sandbox failed to start", error);
  process.exit(1);
});
