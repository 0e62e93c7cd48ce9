import { ActivationBanner } from "@/components/settings/activation-banner";
import { ChartStatus } from "@/components/settings/chart-status";
import { CustomerInvoiceForm } from "@/components/settings/customer-invoice-form";
import { SettingsHistory } from "@/components/settings/settings-history";
import { getDb } from "@/db/client";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/i18n/date-time";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { loadChartOfAccounts } from "@/lib/integrations/chart-of-accounts";
import { loadIntegration } from "@/lib/integrations/clients";
import { chartIndex } from "@/lib/settings/format";
import { listSettingsChanges, loadSettings } from "@/lib/settings/store";
import { deactivateAction, reloadChartAction, saveSettingsAction } from "./actions";

export default async function CustomerInvoicePage() {
  const user = await requireUser();
  const { locale, t } = await getMessages();
  const ct = t.customerInvoice;
  const readOnly = !isAdmin(user);
  const db = await getDb();
  const [integration, stored, history] = await Promise.all([
    loadIntegration(db, user.companyId),
    loadSettings(db, user.companyId),
    listSettingsChanges(db, user.companyId),
  ]);
  const chart = await loadChartOfAccounts(integration);
  const accounts = chart.status === "ok" ? chart.accounts : null;
  const activated = integration?.activated ?? false;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{ct.title}</h1>
        <p className="mt-1 max-w-3xl text-slate-600">{ct.intro}</p>
      </div>
      <ActivationBanner
        activated={activated}
        readOnly={readOnly}
        t={ct.status}
        deactivateAction={deactivateAction}
      />
      {readOnly ? (
        <p role="note" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">
          {ct.readOnly}
        </p>
      ) : null}
      <ChartStatus
        status={chart.status}
        fetchedText={
          chart.status === "ok"
            ? format(ct.accounts.fetched, { time: formatDateTime(chart.fetchedAt, locale) })
            : undefined
        }
        readOnly={readOnly}
        t={ct.accounts}
        reloadAction={reloadChartAction}
      />
      <CustomerInvoiceForm
        t={ct}
        locale={locale}
        initialValues={stored.values}
        version={stored.version}
        chart={accounts}
        readOnly={readOnly}
        activated={activated}
        previewDefaults={{
          defaultLayoutNumber: integration?.defaultLayoutNumber ?? null,
          defaultPaymentTermsNumber: integration?.defaultPaymentTermsNumber ?? null,
        }}
        action={saveSettingsAction}
      />
      <SettingsHistory rows={history} locale={locale} chart={chartIndex(accounts ?? [])} t={ct.history} />
    </div>
  );
}
