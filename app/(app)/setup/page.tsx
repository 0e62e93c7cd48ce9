import Link from "next/link";
import { SetupStep, type StepState } from "@/components/setup/step-status";
import { LinkPending } from "@/components/shell/link-pending";
import { getDb } from "@/db/client";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { isSandboxMode } from "@/lib/env";
import { parseSetupParams } from "@/lib/http/page-params";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { loadIntegration } from "@/lib/integrations/clients";
import { type DefaultChoices, loadDefaultChoices } from "@/lib/integrations/defaults";
import { webhookHealth } from "@/lib/integrations/rackbeat-webhook";
import { recordEventNames } from "@/lib/sync/record-key";
import { disconnectEconomicAction, disconnectRackbeatAction } from "./actions";
import { CompanyForm } from "./company-form";
import { DefaultsForm } from "./defaults-form";
import { DisconnectForm } from "./disconnect-form";
import { EconomicGrantForm, EconomicTokenForm } from "./economic-forms";
import { economicFailureMessage } from "./messages";
import { RackbeatKeyForm } from "./rackbeat-form";
import { BackfillPanel, WebhookPanel } from "./reconcile-panels";
import { RecordSyncPanel } from "./record-sync-panel";
import { SandboxConnectForm, TestInvoiceForm } from "./sandbox-forms";

export const dynamic = "force-dynamic";

export default async function SetupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { t: messages } = await getMessages();
  const t = messages.setup;
  const readOnly = !isAdmin(user);
  const db = await getDb();
  const integration = await loadIntegration(db, user.companyId);
  const economicConnected = Boolean(integration?.economicGrantTokenEnc);
  const rackbeatConnected = Boolean(integration?.rackbeatApiKeyEnc && integration.rackbeatWebhookId);
  const choices: DefaultChoices = economicConnected
    ? await loadDefaultChoices(db, user.companyId)
    : { status: "notConnected" };
  const tokenRefused = choices.status === "error" && choices.error === "invalidCredentials";

  const economicState: StepState = !economicConnected ? "notDone" : tokenRefused ? "error" : "done";
  const rackbeatState: StepState = rackbeatConnected ? "done" : "notDone";
  const defaultsChosen = Boolean(
    integration?.defaultLayoutNumber && integration.defaultPaymentTermsNumber && integration.senderEmail,
  );
  const defaultsState: StepState =
    choices.status === "error" ? "error" : economicConnected && defaultsChosen ? "done" : "notDone";
  const activated = Boolean(integration?.activated);
  const health = rackbeatConnected ? await webhookHealth(db, user.companyId) : undefined;

  const grant = parseSetupParams(await searchParams).economic;
  const grantMessage =
    grant === undefined
      ? undefined
      : grant === "connected"
        ? {
            ok: true,
            text: format(t.economic.connected, {
              company: integration?.economicCompanyName ?? String(integration?.economicAgreementNumber ?? ""),
            }),
          }
        : grant === "forbidden"
          ? { ok: false, text: messages.errors.forbidden }
          : grant === "state"
            ? { ok: false, text: t.economic.grantState }
            : grant === "missing"
              ? { ok: false, text: t.economic.grantRefused }
              : { ok: false, text: economicFailureMessage(messages, grant) };

  const layoutName = (n: number | null | undefined) =>
    choices.status === "ok" ? (choices.layouts.find((l) => l.number === n)?.name ?? String(n)) : String(n);
  const termsName = (n: number | null | undefined) =>
    choices.status === "ok"
      ? (choices.paymentTerms.find((p) => p.number === n)?.name ?? String(n))
      : String(n);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">{t.title}</h1>
        <p className="mt-1 text-slate-600">{t.intro}</p>
      </div>
      {readOnly ? (
        <p role="note" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">
          {t.readOnly}
        </p>
      ) : null}

      <SetupStep id="company" heading={t.company} labels={t.status}>
        <CompanyForm t={t} companyName={user.companyName} readOnly={readOnly} />
      </SetupStep>

      {isSandboxMode() ? (
        <section
          aria-labelledby="sandbox-heading"
          className="rounded-lg border border-dashed border-amber-400 bg-amber-50 p-6"
        >
          <h2 id="sandbox-heading" className="mb-2 text-lg font-semibold">
            {t.sandbox.heading}
          </h2>
          <p className="mb-4 text-sm text-slate-700">{t.sandbox.intro}</p>
          <div className="flex flex-col gap-6 sm:flex-row sm:items-start">
            <SandboxConnectForm t={t} readOnly={readOnly} />
            <TestInvoiceForm t={t} readOnly={readOnly} disabled={!rackbeatConnected} inactive={!activated} />
          </div>
        </section>
      ) : null}

      <SetupStep
        id="economic"
        heading={t.economic.heading}
        intro={t.economic.intro}
        state={economicState}
        labels={t.status}
      >
        {grantMessage ? (
          <p
            role={grantMessage.ok ? "status" : "alert"}
            className={`rounded-md px-3 py-2 text-sm ${grantMessage.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}
          >
            {grantMessage.text}
          </p>
        ) : null}
        {economicConnected && integration ? (
          <div className="space-y-1 text-sm">
            <p>
              {format(t.economic.connectedTo, {
                company: integration.economicCompanyName ?? "e-conomic",
                agreement: String(integration.economicAgreementNumber ?? ""),
              })}
            </p>
            <p className="text-slate-600">
              {format(t.economic.tokenHint, { hint: integration.economicGrantTokenHint ?? "" })}
            </p>
            {tokenRefused ? <p className="text-red-700">{messages.setup.errors.invalidToken}</p> : null}
          </div>
        ) : (
          <p className="text-sm text-slate-600">{t.economic.notConnected}</p>
        )}
        <EconomicGrantForm t={t} readOnly={readOnly} />
        <h3 className="text-sm font-semibold text-slate-700">{t.economic.or}</h3>
        <EconomicTokenForm t={t} readOnly={readOnly} />
        <DisconnectForm
          t={t}
          action={disconnectEconomicAction}
          connected={economicConnected}
          readOnly={readOnly}
        />
      </SetupStep>

      <SetupStep
        id="rackbeat"
        heading={t.rackbeat.heading}
        intro={t.rackbeat.intro}
        state={rackbeatState}
        labels={t.status}
      >
        {rackbeatConnected && integration ? (
          <div className="space-y-1 text-sm">
            <p>
              {format(t.rackbeat.connectedTo, {
                account: integration.rackbeatAccountName ?? "Rackbeat",
                id: integration.rackbeatAccountId ?? "",
              })}
            </p>
            <p className="text-slate-600">
              {format(t.rackbeat.keyHint, { hint: integration.rackbeatApiKeyHint ?? "" })}
            </p>
            <p className="text-slate-600">
              {format(t.rackbeat.webhook, { events: integration.rackbeatWebhookEvents.join(", ") })}
            </p>
          </div>
        ) : (
          <p className="text-sm text-slate-600">{t.rackbeat.notConnected}</p>
        )}
        {health && integration ? (
          <WebhookPanel
            t={messages.reconcile.webhook}
            health={health}
            event={integration.rackbeatInvoiceEvent}
            readOnly={readOnly}
          />
        ) : null}
        <RackbeatKeyForm t={t} readOnly={readOnly} />
        <DisconnectForm
          t={t}
          action={disconnectRackbeatAction}
          connected={rackbeatConnected}
          readOnly={readOnly}
        />
      </SetupStep>

      <SetupStep
        id="defaults"
        heading={t.defaults.heading}
        intro={t.defaults.intro}
        state={defaultsState}
        labels={t.status}
      >
        {defaultsChosen && integration ? (
          <p className="text-sm">
            {format(t.defaults.summary, {
              layout: layoutName(integration.defaultLayoutNumber),
              terms: termsName(integration.defaultPaymentTermsNumber),
              email: integration.senderEmail ?? "",
            })}
          </p>
        ) : (
          <p className="text-sm text-slate-600">{t.defaults.notChosen}</p>
        )}
        {choices.status === "notConnected" ? (
          <p className="text-sm text-slate-600">{t.defaults.needsEconomic}</p>
        ) : choices.status === "error" ? (
          <p className="text-sm text-red-700">
            {format(t.defaults.loadFailed, { reason: economicFailureMessage(messages, choices.error) })}
          </p>
        ) : (
          <DefaultsForm
            t={t}
            readOnly={readOnly}
            layouts={choices.layouts.map((l) => ({
              value: String(l.number),
              label: `${l.number} · ${l.name}`,
            }))}
            paymentTerms={choices.paymentTerms.map((p) => ({
              value: String(p.number),
              label: `${p.number} · ${p.name}`,
            }))}
            current={{
              defaultLayoutNumber: integration?.defaultLayoutNumber
                ? String(integration.defaultLayoutNumber)
                : "",
              defaultPaymentTermsNumber: integration?.defaultPaymentTermsNumber
                ? String(integration.defaultPaymentTermsNumber)
                : "",
              senderEmail: integration?.senderEmail ?? user.email,
              defaultCustomerGroupNumber: integration?.defaultCustomerGroupNumber
                ? String(integration.defaultCustomerGroupNumber)
                : "",
            }}
          />
        )}
      </SetupStep>

      <SetupStep
        id="activation"
        heading={t.activation.heading}
        intro={t.activation.intro}
        state={activated ? "done" : "notDone"}
        labels={t.status}
      >
        <p className="text-sm">{activated ? t.activation.activated : t.activation.notActivated}</p>
        <Link
          href="/settings/customer-invoice"
          className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
        >
          {t.activation.link}
          <LinkPending skeleton="form" />
        </Link>
      </SetupStep>

      {rackbeatConnected && activated ? (
        <SetupStep
          id="records"
          heading={messages.recordSync.heading}
          intro={messages.recordSync.intro}
          labels={t.status}
        >
          <RecordSyncPanel
            db={db}
            companyId={user.companyId}
            events={(integration?.rackbeatRecordWebhooks ?? []).map((hook) => hook.event)}
            names={recordEventNames(integration?.rackbeatRecordEvents)}
            t={messages.recordSync}
            readOnly={readOnly}
          />
        </SetupStep>
      ) : null}

      {rackbeatConnected ? (
        <SetupStep
          id="backfill"
          heading={messages.reconcile.backfill.heading}
          intro={messages.reconcile.backfill.intro}
          labels={t.status}
        >
          <BackfillPanel
            db={db}
            companyId={user.companyId}
            t={messages.reconcile.backfill}
            readOnly={readOnly}
          />
        </SetupStep>
      ) : null}
    </div>
  );
}
