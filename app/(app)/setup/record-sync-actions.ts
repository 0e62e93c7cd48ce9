"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { currentUser, isAdmin } from "@/lib/auth/session";
import { type FormState, submittedValues } from "@/lib/forms/state";
import { getMessages } from "@/lib/i18n/server";
import { loadIntegration } from "@/lib/integrations/clients";
import { changeRecordEvents, parseRecordEventsInput } from "@/lib/integrations/record-webhooks";
import { loadSettings } from "@/lib/settings/store";
import { startFirstSync } from "@/lib/sync/first-sync";
import { DEFAULT_RECORD_EVENTS } from "@/lib/sync/record-key";

/** "Synkronisér kunder og grupper nu": starts the durable walk over Rackbeat (lib/sync/first-sync). */
export async function startFirstSyncAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated };
  if (!isAdmin(user)) return { status: "error", message: t.errors.forbidden };
  const db = await getDb();
  const [integration, settings] = await Promise.all([
    loadIntegration(db, user.companyId),
    loadSettings(db, user.companyId),
  ]);
  if (!integration?.activated || !settings.values.debtorIntegration) {
    return { status: "error", message: t.recordSync.off };
  }
  // Only the job is written here; the reconciler walks Rackbeat's lists (lib/sync/first-sync.ts).
  const result = await startFirstSync(db, user.companyId, { userId: user.id });
  revalidatePath("/setup");
  if (!result.ok) return { status: "error", message: t.recordSync.notConnected };
  return {
    status: "success",
    message: result.alreadyRunning ? t.recordSync.alreadyRunning : t.recordSync.started,
  };
}

/** "Gem hændelsesnavne": the six master-data event names, validated field by field. */
export async function changeRecordEventsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const e = t.recordSync.events;
  const values = submittedValues(formData, Object.keys(DEFAULT_RECORD_EVENTS));
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated, values };
  if (!isAdmin(user)) return { status: "error", message: t.errors.forbidden, values };
  const parsed = parseRecordEventsInput(values);
  if (!parsed.ok) {
    const fieldErrors = Object.fromEntries(
      Object.entries(parsed.errors).map(([slot, keys]) => [
        slot,
        [keys.includes("duplicate") ? e.duplicate : e.invalid],
      ]),
    );
    return { status: "error", fieldErrors, values };
  }
  const result = await changeRecordEvents(await getDb(), user.companyId, parsed.names);
  revalidatePath("/setup");
  if (!result.ok) {
    const message = result.error === "notConnected" ? t.recordSync.notConnected : t.recordSync.failed;
    return { status: "error", message, values };
  }
  return { status: "success", message: result.events.length > 0 ? e.saved : e.savedOff, values };
}
