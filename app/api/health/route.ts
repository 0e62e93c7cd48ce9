import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok", database: "ok" });
  } catch {
    // The cause stays in the server log; a health probe needs only the verdict.
    return Response.json({ status: "error", database: "unavailable" }, { status: 503 });
  }
}
