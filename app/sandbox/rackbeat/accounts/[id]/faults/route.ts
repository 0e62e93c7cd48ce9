import { getDb } from "@/db/client";
import { isSandboxMode } from "@/lib/env";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "@/lib/sandbox/rackbeat";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The sandbox's fault switches (lib/sandbox/rackbeat/faults.ts): the same handler as the rest.
const g = globalThis as unknown as { __rackbeatSandbox?: RackbeatSandboxHandler };

function handle(request: Request): Promise<Response> {
  if (!isSandboxMode()) return Promise.resolve(Response.json({ message: "Not found." }, { status: 404 }));
  g.__rackbeatSandbox ??= createRackbeatSandbox({ db: getDb });
  return g.__rackbeatSandbox(request);
}

export { handle as DELETE, handle as POST };
