import { getDb } from "@/db/client";
import { intakeError } from "@/lib/intake/errors";
import { receiveRackbeatWebhook } from "@/lib/intake/receive-webhook";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Rackbeat's webhook deliveries (see lib/intake/receive-webhook.ts for the answers). */
export async function POST(request: Request): Promise<Response> {
  let db: Awaited<ReturnType<typeof getDb>>;
  try {
    db = await getDb();
  } catch (error) {
    console.error("rackbeat webhook intake: no database", error);
    return intakeError("unavailable", "The webhook could not be stored right now; deliver it again later.");
  }
  return receiveRackbeatWebhook(db, request);
}
