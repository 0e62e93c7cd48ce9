import { isSandboxMode } from "@/lib/env";
import { jsonError } from "@/lib/http/json-error";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The ingest benchmark's baseline (bench/ingest.ts): what any route handler of this server costs
 * (routing, middleware, reading a small body, a JSON answer), without our work. Sandbox mode only.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSandboxMode()) return jsonError(404, "not_found", "Not found.");
  await request.arrayBuffer();
  return Response.json({ ok: true }, { status: 202 });
}
