import { LiveRefresh } from "@/components/review/live-refresh";
import { ProgressCounts } from "@/components/ui/progress-counts";
import type { Db } from "@/db/client";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import type { WebhookHealth } from "@/lib/integrations/rackbeat-webhook";
import { latestBackfillProgress } from "@/lib/reconcile/backfill";
import { BackfillForm, CancelBackfillForm } from "./backfill-forms";
import { InvoiceEventForm, ReregisterWebhookForm } from "./webhook-forms";

/** Our webhook as Rackbeat reports it, the event name setting, and re-registration when needed. */
export function WebhookPanel({
  t,
  health,
  event,
  readOnly,
}: {
  t: Messages["reconcile"]["webhook"];
  health: WebhookHealth;
  event: string;
  readOnly: boolean;
}) {
  const healthy = health.status === "active" && !health.failures;
  const text =
    health.status === "active"
      ? health.failures
        ? format(t.health.activeFailures, { failures: String(health.failures) })
        : t.health.active
      : health.status === "inactive"
        ? t.health.inactive
        : health.status === "missing"
          ? t.health.missing
          : health.status === "error"
            ? t.health.error
            : t.notConnected;
  return (
    <section aria-labelledby="webhook-heading" className="space-y-3 border-t border-slate-200 pt-4">
      <h3 id="webhook-heading" className="text-sm font-semibold text-slate-700">
        {t.heading}
      </h3>
      <p className="text-sm text-slate-600">{t.intro}</p>
      <p
        role="status"
        className={`rounded-md px-3 py-2 text-sm ${healthy ? "bg-emerald-50 text-emerald-800" : "bg-amber-50 text-amber-900"}`}
      >
        {text}
      </p>
      <ReregisterWebhookForm
        t={t}
        needed={health.status === "inactive" || health.status === "missing"}
        readOnly={readOnly}
      />
      <InvoiceEventForm t={t} current={event} readOnly={readOnly} />
    </section>
  );
}

/** The latest backfill's progress (from the database, so it survives a reload) and the form. */
export async function BackfillPanel({
  db,
  companyId,
  t,
  readOnly,
}: {
  db: Db;
  companyId: string;
  t: Messages["reconcile"]["backfill"];
  readOnly: boolean;
}) {
  const progress = await latestBackfillProgress(db, companyId);
  const running = progress?.backfill.status === "running";
  const total = progress ? Math.max(progress.backfill.queued, running ? progress.backfill.expected : 0) : 0;
  const finished = progress ? progress.transferred + progress.failed : 0;
  const percent = total > 0 ? Math.min(100, Math.round((finished / total) * 100)) : progress ? 100 : 0;
  const counts: [string, number][] = progress
    ? [
        [t.found, progress.backfill.found],
        [t.queued, progress.backfill.queued],
        [t.transferred, progress.transferred],
        [t.failedCount, progress.failed],
      ]
    : [];
  return (
    <div className="space-y-4">
      {progress ? (
        <div className="space-y-2">
          <LiveRefresh active={running || progress.pending > 0} label="" />
          <p className="text-sm font-medium">
            {format(t.status[progress.backfill.status], { since: progress.backfill.since })}
          </p>
          <ProgressCounts label={t.progress} percent={percent} counts={counts} />
          {running ? (
            <CancelBackfillForm t={t} backfillId={progress.backfill.id} readOnly={readOnly} />
          ) : null}
        </div>
      ) : null}
      {running ? null : <BackfillForm t={t} readOnly={readOnly} />}
    </div>
  );
}
