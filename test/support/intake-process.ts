/**
 * The webhook intake (lib/intake/receive-webhook.ts, with the environment's enqueue: group commit
 * unless INTAKE_GROUP_COMMIT=0) served by a process of its own on DATABASE_URL, for tests that kill it
 * with SIGKILL. Prints "intake listening on <url>" when ready. Started by intake-server.ts.
 */
import { openDb } from "@/db/client";
import { receiveRackbeatWebhook } from "@/lib/intake/receive-webhook";
import { serve } from "./http";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed");
  const handle = await openDb({ url, max: 10 });
  const server = await serve((request) => receiveRackbeatWebhook(handle.db, request, { onQueued: () => {} }));
  console.log(`intake listening on ${server.url}`);
}

main().catch((error) => {
  console.error("intake process failed", error);
  process.exit(1);
});
