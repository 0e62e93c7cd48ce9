import { getDb } from "@/db/client";
import { currentUser } from "@/lib/auth/session";
import { economicClientFor, loadIntegration } from "@/lib/integrations/clients";
import { loadDraftNumber } from "@/lib/review/detail";
import { fileResponse, reviewError } from "@/lib/review/http";

/**
 * The draft's PDF, fetched from e-conomic with the company's own token on the server (the REST
 * address itself answers a browser with 401). Another company's transfer answers 404.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (!user) return reviewError("unauthenticated");
  const { id } = await params;
  const db = await getDb();
  const draft = await loadDraftNumber(db, user.companyId, id);
  if (draft === null) return reviewError("not_found");
  const client = economicClientFor(await loadIntegration(db, user.companyId));
  if (!client) return reviewError("not_connected");
  try {
    const pdf = await client.draftInvoices.pdf(draft);
    return fileResponse(pdf, `kladde-${draft}.pdf`, "inline");
  } catch (error) {
    console.error("draft invoice PDF failed", error instanceof Error ? error.message : error);
    return reviewError("economic_unavailable");
  }
}
