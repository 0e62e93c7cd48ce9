"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { currentUser, isAdmin } from "@/lib/auth/session";
import type { FormState } from "@/lib/forms/state";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import {
  type ActivationGap,
  accountsRequiredWhileActive,
  activationGaps,
  setActivated,
} from "@/lib/integrations/activation";
import { forgetChartOfAccounts, loadChartOfAccounts } from "@/lib/integrations/chart-of-accounts";
import { loadIntegration } from "@/lib/integrations/clients";
import { syncRecordWebhooks } from "@/lib/integrations/record-webhooks";
import {
  type AccountFieldName,
  accountErrorMessage,
  keepStoredAccounts,
  validateAccountChoices,
} from "@/lib/settings/account-choices";
import { formEntries, parseSettingsSubmission, type SettingsFormState } from "@/lib/settings/form";
import { chartIndex, formatSettingValue } from "@/lib/settings/format";
import {
  diffSettings,
  type Locale,
  productGroupAccountLabels,
  settingLabels,
  settingsFieldMessages,
} from "@/lib/settings/schema";
import { loadSettings, saveSettings } from "@/lib/settings/store";
import { startFirstSync } from "@/lib/sync/first-sync";

const PAGE = "/settings/customer-invoice";

type Messages = Awaited<ReturnType<typeof getMessages>>["t"];

function gapText(gap: ActivationGap, t: Messages, locale: Locale): string {
  if (gap.code === "product_group_accounts_missing") {
    const zones = gap.zones.map((zone) => productGroupAccountLabels[zone][locale]).join(", ");
    return format(t.customerInvoice.gaps.product_group_accounts_missing, { zones });
  }
  return t.customerInvoice.gaps[gap.code];
}

/**
 * "Gem indstillinger" and "Aktivér integration" (the submit button's `intent`). Both validate with
 * the schema and against the live chart of accounts, and save only on top of the version the form
 * was loaded with; activation then checks the connections and switches the integration on.
 */
export async function saveSettingsAction(
  _prev: SettingsFormState,
  formData: FormData,
): Promise<SettingsFormState> {
  const { locale, t } = await getMessages();
  const ct = t.customerInvoice;
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated };
  // The server decides: a viewer's forged submit changes nothing.
  if (!isAdmin(user)) return { status: "error", message: t.errors.forbidden };

  const submission = parseSettingsSubmission(formEntries(formData));
  if (!submission.ok) return { status: "error", message: ct.results.invalidForm };
  if (!submission.settings.success) {
    return {
      status: "error",
      message: ct.results.fixErrors,
      fieldErrors: settingsFieldMessages(submission.settings.error, locale),
    };
  }

  const db = await getDb();
  const [integration, stored] = await Promise.all([
    loadIntegration(db, user.companyId),
    loadSettings(db, user.companyId),
  ]);
  const chart = await loadChartOfAccounts(integration);
  let values = submission.settings.data;
  if (chart.status === "ok") {
    const errors = validateAccountChoices(values, chart.accounts);
    const entries = Object.entries(errors) as [
      AccountFieldName,
      NonNullable<(typeof errors)[AccountFieldName]>,
    ][];
    if (entries.length > 0) {
      return {
        status: "error",
        message: ct.results.fixErrors,
        fieldErrors: Object.fromEntries(
          entries.map(([field, error]) => [field, [accountErrorMessage(field, error, locale)]]),
        ),
      };
    }
  } else {
    values = keepStoredAccounts(values, stored.values);
  }

  const missingWhileActive = integration?.activated ? accountsRequiredWhileActive(values) : [];
  if (missingWhileActive.length > 0) {
    return {
      status: "error",
      message: ct.results.fixErrors,
      fieldErrors: Object.fromEntries(
        missingWhileActive.map((field) => [field, [ct.results.requiredWhileActive]]),
      ),
    };
  }

  const saved = await saveSettings(db, {
    companyId: user.companyId,
    userId: user.id,
    userName: user.name,
    expectedVersion: submission.version,
    values,
  });
  if (!saved.ok) {
    const names = chartIndex(chart.status === "ok" ? chart.accounts : []);
    const items = diffSettings(values, saved.current.values).map((change) => ({
      label: settingLabels[change.key][locale],
      value: formatSettingValue(change.key, change.to, locale, names),
    }));
    return {
      status: "error",
      message: format(ct.results.conflict, { version: saved.current.version }),
      conflict: { version: saved.current.version, items },
    };
  }

  if (submission.intent === "save") {
    if (integration?.activated) await updateRecordWebhooks(db, user.companyId);
    revalidatePath(PAGE);
    return { status: "success", message: saved.changed > 0 ? ct.results.saved : ct.results.unchanged };
  }

  const gaps = await activationGaps(integration, values);
  if (gaps.length > 0) {
    revalidatePath(PAGE);
    return {
      status: "error",
      message: ct.results.notActivated,
      missing: gaps.map((gap) => gapText(gap, t, locale)),
    };
  }
  await setActivated(db, user.companyId, true, { userId: user.id, userName: user.name });
  await updateRecordWebhooks(db, user.companyId);
  if (values.debtorIntegration) {
    // The first sync at activation; the setup guide shows its progress and can run it again.
    const first = await startFirstSync(db, user.companyId, { userId: user.id }).catch((error: unknown) => ({
      ok: false,
      error,
    }));
    if (!first.ok) console.warn("first sync of customers and groups not started", first.error);
  }
  revalidatePath(PAGE);
  return { status: "success", message: ct.results.activated };
}

export async function deactivateAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated };
  if (!isAdmin(user)) return { status: "error", message: t.errors.forbidden };
  const db = await getDb();
  const done = await setActivated(db, user.companyId, false, { userId: user.id, userName: user.name });
  if (done) await updateRecordWebhooks(db, user.companyId);
  revalidatePath(PAGE);
  return done
    ? { status: "success", message: t.customerInvoice.results.deactivated }
    : { status: "error", message: t.customerInvoice.results.notConnectedYet };
}

/** "Genindlæs kontoplan": forget the cached chart; the re-rendered page fetches it again. */
export async function reloadChartAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated };
  if (!isAdmin(user)) return { status: "error", message: t.errors.forbidden };
  forgetChartOfAccounts(user.companyId);
  revalidatePath(PAGE);
  return { status: "success", message: t.customerInvoice.results.chartReloaded };
}

/**
 * The debitor integration's Rackbeat webhooks follow the saved switch (lib/integrations/
 * record-webhooks.ts). Best effort: the settings are saved either way; saving them again registers
 * what Rackbeat refused now.
 */
async function updateRecordWebhooks(db: Awaited<ReturnType<typeof getDb>>, companyId: string) {
  const result = await syncRecordWebhooks(db, companyId).catch((error: unknown) => ({
    ok: false as const,
    error,
  }));
  if (!result.ok) console.warn("master-data webhooks not registered", result.error);
}
