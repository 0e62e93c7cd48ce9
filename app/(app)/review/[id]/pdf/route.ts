import { getDb } from "@/db/client";
import { currentUser } from "@/lib/auth/session";
import { economicClientFor, loadIntegration } from "@/lib/integrations/clients";
import { loadBookedNumber } from "@/lib/review/detail";
import { fileResponse, reviewError } from "@/lib/review/http";

/**
 * The booked invoice's PDF, fetched from e-conomic with the company's own token on the server, so
 * the token never reaches the browser. Another company's transfer answers 404, like a missing one.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (!user) return reviewError("unauthenticated");
  const { id } = await params;
  const db = await getDb();
  const booked = await loadBookedNumber(db, user.companyId, id);
  if (booked === null) return reviewError("not_found");
  const client = economicClientFor(await loadIntegration(db, user.companyId));
  if (!client) return reviewError("not_connected");
  try {
    const pdf = await client.bookedInvoices.pdf(booked);
    return fileResponse(pdf, `faktura-${booked}.pdf`, "inline");
  } catch (error) {
    console.error("booked invoice PDF failed", error instanceof Error ? error.message : error);
    return reviewError("economic_unavailable");
  }
}
