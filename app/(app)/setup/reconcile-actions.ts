"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type Db, getDb } from "@/db/client";
import { currentUser, isAdmin } from "@/lib/auth/session";
import { type FormState, submittedValues } from "@/lib/forms/state";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { getMessages } from "@/lib/i18n/server";
import { loadIntegration } from "@/lib/integrations/clients";
import {
  changeInvoiceEvent,
  rackbeatEventInputSchema,
  reregisterInvoiceWebhook,
  type WebhookChangeResult,
} from "@/lib/integrations/rackbeat-webhook";
import {
  backfillInputSchema,
  cancelBackfill,
  previewBackfill,
  startBackfill,
} from "@/lib/reconcile/backfill";

// The setup guide's webhook settings and backfill. Every action checks session and role itself.

type Guard = { ok: true; companyId: string; userId: string; t: Messages } | { ok: false; state: FormState };

async function requireAdmin(values?: Record<string, string>): Promise<Guard> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { ok: false, state: { status: "error", message: t.errors.unauthenticated, values } };
  if (!isAdmin(user)) return { ok: false, state: { status: "error", message: t.errors.forbidden, values } };
  return { ok: true, companyId: user.companyId, userId: user.id, t };
}

function webhookFailure(t: Messages, result: Extract<WebhookChangeResult, { ok: false }>): string {
  return result.error === "notConnected" ? t.reconcile.webhook.notConnected : t.reconcile.webhook.failed;
}

export async function changeInvoiceEventAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = submittedValues(formData, ["invoiceEvent"]);
  const guard = await requireAdmin(values);
  if (!guard.ok) return guard.state;
  const { t } = guard;
  const parsed = rackbeatEventInputSchema.safeParse({ event: values.invoiceEvent ?? "" });
  if (!parsed.success) {
    const keys = z.flattenError(parsed.error).fieldErrors.event ?? [];
    const text = (key: string) =>
      key === "invalidEvent"
        ? t.reconcile.webhook.invalidEvent
        : format(t.validation[key as keyof typeof t.validation] ?? t.errors.unexpected, { max: 100 });
    return { status: "error", fieldErrors: { invoiceEvent: keys.map(text) }, values };
  }
  const result = await changeInvoiceEvent(await getDb(), guard.companyId, parsed.data);
  if (!result.ok)
    return { status: "error", fieldErrors: { invoiceEvent: [webhookFailure(t, result)] }, values };
  revalidatePath("/setup");
  return { status: "success", message: format(t.reconcile.webhook.saved, { event: result.event }), values };
}

export async function reregisterWebhookAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const result = await reregisterInvoiceWebhook(await getDb(), guard.companyId);
  if (!result.ok) return { status: "error", message: webhookFailure(guard.t, result) };
  revalidatePath("/setup");
  return { status: "success", message: guard.t.reconcile.webhook.reregistered };
}

type BackfillGuard =
  | { ok: true; companyId: string; userId: string; t: Messages; db: Db; since: string }
  | { ok: false; state: FormState };

/** Both backfill steps: an admin, a valid "since" date and an active integration. */
async function requireBackfill(values: Record<string, string>): Promise<BackfillGuard> {
  const guard = await requireAdmin(values);
  if (!guard.ok) return guard;
  const { t } = guard;
  const parsed = backfillInputSchema.safeParse({ since: values.since ?? "" });
  if (!parsed.success)
    return {
      ok: false,
      state: { status: "error", fieldErrors: { since: [t.reconcile.backfill.invalidDate] }, values },
    };
  const db = await getDb();
  if (!(await loadIntegration(db, guard.companyId))?.activated)
    return { ok: false, state: { status: "error", message: t.reconcile.backfill.notActive, values } };
  return { ...guard, db, since: parsed.data.since };
}

/** Step one: counts what the backfill would transfer; the answer carries the numbers for step two. */
export async function previewBackfillAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = submittedValues(formData, ["since"]);
  const guard = await requireBackfill(values);
  if (!guard.ok) return guard.state;
  const { t, db, since } = guard;
  try {
    const preview = await previewBackfill(db, guard.companyId, since);
    const message =
      preview.toTransfer === 0
        ? format(t.reconcile.backfill.nothing, { since })
        : format(t.reconcile.backfill.previewResult, {
            found: String(preview.found),
            since,
            count: String(preview.toTransfer),
          });
    return { status: "success", message, values: { since, count: String(preview.toTransfer) } };
  } catch (error) {
    console.error("backfill preview failed", error);
    return { status: "error", message: t.reconcile.backfill.failed, values };
  }
}

export async function startBackfillAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = submittedValues(formData, ["since", "count"]);
  const guard = await requireBackfill(values);
  if (!guard.ok) return guard.state;
  const { t, db, since } = guard;
  const expected = Number.parseInt(values.count ?? "0", 10);
  const result = await startBackfill(db, {
    companyId: guard.companyId,
    since,
    expected: Number.isFinite(expected) && expected >= 0 ? expected : 0,
    userId: guard.userId,
  });
  if (!result.ok) return { status: "error", message: t.reconcile.backfill.alreadyRunning, values };
  revalidatePath("/setup");
  return { status: "success", message: t.reconcile.backfill.started };
}

export async function cancelBackfillAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const id = z.uuid().safeParse(formData.get("backfillId"));
  if (!id.success || !(await cancelBackfill(await getDb(), guard.companyId, id.data))) {
    return { status: "error", message: guard.t.errors.unexpected };
  }
  revalidatePath("/setup");
  return { status: "success", message: guard.t.reconcile.backfill.cancelled };
}
