"use server";

import { and, eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { transfers } from "@/db/schema";
import { currentUser, isAdmin } from "@/lib/auth/session";
import type { FormState } from "@/lib/forms/state";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { sweepCompany } from "@/lib/reconcile/sweep";
import { requeueTransfer } from "@/lib/transfer/queue";

const retrySchema = z.object({ transferId: z.uuid() });

/**
 * "Prøv igen" (failed) and "Overfør nu" (skipped): puts the transfer back in the queue. The session
 * and the role are checked here, not only in the page, so a forged post from a viewer is refused;
 * requeueTransfer moves only failed/skipped rows in one atomic update, so a double click queues once.
 */
export async function retryTransferAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated };
  if (!isAdmin(user)) return { status: "error", message: t.review.actions.forbidden };
  const parsed = retrySchema.safeParse({ transferId: formData.get("transferId") });
  if (!parsed.success) return { status: "error", message: t.review.actions.notFound };
  const { transferId } = parsed.data;

  let requeued: boolean;
  try {
    const db = await getDb();
    requeued = await requeueTransfer(db, { companyId: user.companyId, transferId });
    if (!requeued) {
      const [exists] = await db
        .select({ id: transfers.id })
        .from(transfers)
        .where(and(eq(transfers.id, transferId), eq(transfers.companyId, user.companyId)))
        .limit(1);
      if (!exists) return { status: "error", message: t.review.actions.notFound };
    }
  } catch (error) {
    console.error("requeue failed", error);
    return { status: "error", message: t.review.actions.failed };
  }
  revalidatePath("/review");
  revalidatePath(`/review/${transferId}`);
  revalidatePath(`/review/records/${transferId}`);
  return requeued
    ? { status: "success", message: t.review.actions.requeued }
    : { status: "error", message: t.review.actions.notRequeued };
}

/**
 * "Hent manglende fakturaer nu": runs the company's reconciliation sweep at once (under the same
 * per-company lease as the scheduled one) and says what it found.
 */
export async function sweepNowAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated };
  if (!isAdmin(user)) return { status: "error", message: t.review.actions.forbidden };
  const s = t.reconcile.sweep;
  try {
    const result = await sweepCompany(await getDb(), user.companyId);
    if (result.kind === "busy") return { status: "error", message: s.busy };
    if (result.kind === "skipped") return { status: "error", message: s.notActive };
    revalidatePath("/review");
    const params = { listed: String(result.listed), queued: String(result.queued) };
    return { status: "success", message: format(result.queued > 0 ? s.found : s.none, params) };
  } catch (error) {
    console.error("sweep failed", error);
    return { status: "error", message: s.failed };
  }
}
