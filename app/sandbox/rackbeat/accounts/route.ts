import { getDb } from "@/db/client";
import { isSandboxMode } from "@/lib/env";
import { createRackbeatSandbox, type RackbeatSandboxHandler } from "@/lib/sandbox/rackbeat";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const g = globalThis as unknown as { __rackbeatSandbox?: RackbeatSandboxHandler };

export function POST(request: Request): Promise<Response> {
  if (!isSandboxMode()) return Promise.resolve(Response.json({ message: "Not found." }, { status: 404 }));
  g.__rackbeatSandbox ??= createRackbeatSandbox({ db: getDb });
  return g.__rackbeatSandbox(request);
}
