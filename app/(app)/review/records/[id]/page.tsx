import Link from "next/link";
import { notFound } from "next/navigation";
import {
  AttemptsSection,
  CallsSection,
  ErrorNotice,
  errorText,
  Section,
  WebhooksSection,
} from "@/components/review/detail-parts";
import { LiveRefresh } from "@/components/review/live-refresh";
import { RetryForm } from "@/components/review/retry-form";
import { LinkPending } from "@/components/shell/link-pending";
import { getDb } from "@/db/client";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/i18n/format";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { loadTransferDetail } from "@/lib/review/detail";
import { displayStatus, isInProgress } from "@/lib/review/status";
import { parseRecordKey } from "@/lib/sync/record-key";
import { describeSkipReason } from "@/lib/transfer/errors";
import { retryTransferAction } from "../../actions";

export const dynamic = "force-dynamic";

/**
 * One master-data sync (a customer, customer group or product group, lib/sync): its status,
 * attempts, e-conomic calls, errors with "Tekniske detaljer", the Rackbeat events that queued it, and
 * "Prøv igen" for an admin. The invoice detail page's pattern and parts (components/review/detail-parts).
 */
export default async function RecordSyncPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { t, locale } = await getMessages();
  const { id } = await params;
  const detail = await loadTransferDetail(await getDb(), user.companyId, id);
  const record = detail ? parseRecordKey(detail.transfer.rackbeatInvoiceNumber) : null;
  if (!detail || !record) notFound();
  const { transfer, attempts, calls, webhooks } = detail;
  const v = t.recordSync.view;
  const d = t.recordSync.detail;
  const status = displayStatus(transfer);
  const error = errorText(transfer.lastError, locale);
  const writes = (transfer.checkpoint as { writes?: unknown } | null)?.writes;
  const canRetry = isAdmin(user) && (transfer.status === "failed" || transfer.status === "skipped");
  const dl =
    "grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[auto_1fr]";
  const dt = "font-medium text-slate-600";

  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <Link href="/review/records" className="text-sm text-emerald-800 underline">
          {d.back}
          <LinkPending skeleton="list" />
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">
            {format(d.heading, { kind: v.kinds[record.kind], number: record.number })}
          </h1>
          <span
            data-status={transfer.status}
            className="rounded-full bg-slate-100 px-3 py-1 text-sm font-medium text-slate-800"
          >
            {v.statuses[transfer.status]}
            {status === "retrying" && transfer.nextAttemptAt
              ? ` · ${format(v.retrying_at, { at: formatDateTime(transfer.nextAttemptAt, locale) })}`
              : ""}
          </span>
        </div>
        <LiveRefresh active={isInProgress(status)} label={t.review.live} />
      </div>

      <Section title={d.summary} id="summary">
        <dl className={dl}>
          <dt className={dt}>{d.kind}</dt>
          <dd>{v.kinds[record.kind]}</dd>
          <dt className={dt}>{d.number}</dt>
          <dd className="tabular-nums">{record.number}</dd>
          <dt className={dt}>{v.columns.attempts}</dt>
          <dd>{transfer.attempts}</dd>
          <dt className={dt}>{v.columns.calls}</dt>
          <dd>{calls.length}</dd>
          {typeof writes === "number" ? (
            <>
              <dt className={dt}>{d.writes}</dt>
              <dd>{writes}</dd>
            </>
          ) : null}
          <dt className={dt}>{d.source}</dt>
          <dd>{d.sources[transfer.source as keyof typeof d.sources] ?? transfer.source}</dd>
          <dt className={dt}>{d.received}</dt>
          <dd>{formatDateTime(transfer.createdAt, locale)}</dd>
          <dt className={dt}>{v.columns.updated}</dt>
          <dd>{formatDateTime(transfer.updatedAt, locale)}</dd>
          {transfer.skipReason ? (
            <>
              <dt className={dt}>{t.review.detail.skipReason}</dt>
              <dd>{describeSkipReason(transfer.skipReason, locale)}</dd>
            </>
          ) : null}
        </dl>
        <ErrorNotice error={error} status={status} t={t} />
        {canRetry ? (
          <RetryForm
            transferId={transfer.id}
            label={v.retry}
            pendingLabel={v.retrying}
            action={retryTransferAction}
          />
        ) : null}
      </Section>

      <AttemptsSection attempts={attempts} t={t} locale={locale} />

      <CallsSection calls={calls} t={t} locale={locale} />

      <WebhooksSection webhooks={webhooks} empty={d.noWebhooks} t={t} locale={locale} />
    </div>
  );
}
