import { checkDatabase } from "@/db/health";

export const dynamic = "force-dynamic";

/**
 * GET /api/health: 200 `{status:"ok", database:"ok"}` when the database answers; otherwise 503
 * `{status:"error", database:"unavailable", reason}` with `reason` database_unreachable or
 * database_timeout (the cause stays in the server log). Never cached; needs no session.
 */
export async function GET() {
  const health = await checkDatabase();
  if (health.ok) return Response.json({ status: "ok", database: "ok" });
  return Response.json(
    { status: "error", database: "unavailable", reason: health.reason },
    { status: 503, headers: { "Cache-Control": "no-store" } },
  );
}
