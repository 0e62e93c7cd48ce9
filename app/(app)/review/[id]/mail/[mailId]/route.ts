import { getDb } from "@/db/client";
import { currentUser } from "@/lib/auth/session";
import { loadMailAttachment } from "@/lib/review/detail";
import { fileResponse, reviewError } from "@/lib/review/http";

/** The attachment of a mail sent (or kept in the outbox) for one of this company's transfers. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string; mailId: string }> },
) {
  const user = await currentUser();
  if (!user) return reviewError("unauthenticated");
  const { id, mailId } = await params;
  if (!/^\d{1,15}$/.test(mailId)) return reviewError("not_found");
  const db = await getDb();
  const attachment = await loadMailAttachment(db, user.companyId, id, Number(mailId));
  if (!attachment) return reviewError("not_found");
  return fileResponse(attachment.content, attachment.name, "attachment");
}
