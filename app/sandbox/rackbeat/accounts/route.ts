import { isSandboxMode } from "@/lib/env";
import { appRackbeatSandbox } from "@/lib/sandbox/rackbeat/app-sandbox";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function POST(request: Request): Promise<Response> {
  if (!isSandboxMode()) return Promise.resolve(Response.json({ message: "Not found." }, { status: 404 }));
  return appRackbeatSandbox()(request);
}
