import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import {
  AttemptsSection,
  CallsSection,
  ErrorNotice,
  errorText,
  Section,
  Table,
  td,
  WebhooksSection,
} from "@/components/review/detail-parts";
import { LiveRefresh } from "@/components/review/live-refresh";
import { RetryForm } from "@/components/review/retry-form";
import { StatusBadge } from "@/components/review/status-badge";
import { economicNumber, sentByLabel } from "@/components/review/transfer-table";
import { LinkPending } from "@/components/shell/link-pending";
import { getDb } from "@/db/client";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { economicWebAppUrl } from "@/lib/economic/web-app";
import { externalUrls } from "@/lib/env";
import { formatDate, formatDateTime, formatDecimal, formatMoney } from "@/lib/i18n/format";
import { format, type Locale } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { amountDifferences } from "@/lib/review/amount-differences";
import { loadTransferDetail } from "@/lib/review/detail";
import { displayStatus, isInProgress } from "@/lib/review/status";
import { describeSkipReason } from "@/lib/transfer/errors";
import type { TransferPlan } from "@/lib/transfer/plan-types";
import { describePlan } from "@/lib/transfer/preview";
import { retryTransferAction } from "../actions";

export const dynamic = "force-dynamic";

const scalar = z.union([z.string(), z.number()]).nullish();
/** Lenient: the invoice is shown as received, whatever Rackbeat sent. */
const receivedInvoiceSchema = z.looseObject({
  lines: z.array(
    z.looseObject({
      child_id: scalar,
      name: scalar,
      quantity: scalar,
      line_price: scalar,
      discount_percentage: scalar,
    }),
  ),
});

function planLines(plan: unknown, locale: Locale): string[] | null {
  if (!plan || typeof plan !== "object" || !("kind" in plan)) return null;
  try {
    return describePlan(plan as TransferPlan, locale);
  } catch {
    return null;
  }
}

export default async function TransferPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { t, locale } = await getMessages();
  const { id } = await params;
  const db = await getDb();
  const detail = await loadTransferDetail(db, user.companyId, id);
  if (!detail) notFound();
  const { transfer, attempts, calls, mails, webhooks } = detail;
  const d = t.review.detail;
  const status = displayStatus(transfer);
  // Keeps refreshing while the app is at work, a waiting retry included.
  const live = isInProgress(status);
  const error = errorText(transfer.lastError, locale);
  const invoice = receivedInvoiceSchema.safeParse(transfer.invoice);
  const plan = planLines(transfer.plan, locale);
  const economicWebApp = economicWebAppUrl(externalUrls().economicRest);
  const canRetry = isAdmin(user) && (transfer.status === "failed" || transfer.status === "skipped");

  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <Link href="/review" className="text-sm text-emerald-800 underline">
          {d.back}
          <LinkPending skeleton="list" />
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">
            {format(d.heading, { number: transfer.rackbeatInvoiceNumber })}
          </h1>
          <StatusBadge row={transfer} t={t} locale={locale} withNextStep />
        </div>
        <LiveRefresh active={live} label={t.review.live} />
      </div>

      <Section title={d.summary} id="summary">
        <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-slate-600">{t.review.columns.order}</dt>
          <dd>{transfer.orderNumber}</dd>
          <dt className="font-medium text-slate-600">{t.review.columns.customer}</dt>
          <dd>
            {transfer.customerNumber} {transfer.customerName}
          </dd>
          <dt className="font-medium text-slate-600">{t.review.columns.date}</dt>
          <dd>{formatDate(transfer.invoiceDate, locale)}</dd>
          <dt className="font-medium text-slate-600">{t.review.columns.amount}</dt>
          <dd>
            {formatMoney(transfer.netAmount, transfer.currency, locale)}
            {transfer.amountMismatch ? (
              <span className="ml-2 font-medium text-red-700">
                ⚠ {t.review.mismatch}
                {amountDifferences(transfer, locale).map((diff) => (
                  <span key={diff.figure} className="block font-normal">
                    {format(t.review.mismatchDetail, {
                      label: t.review.amountLabels[diff.figure],
                      rackbeat: diff.rackbeat,
                      economic: diff.economic,
                    })}
                  </span>
                ))}
              </span>
            ) : null}
          </dd>
          <dt className="font-medium text-slate-600">{t.review.columns.economic}</dt>
          <dd>{economicNumber(transfer, t) || "—"}</dd>
          <dt className="font-medium text-slate-600">{t.review.columns.sentBy}</dt>
          <dd>{sentByLabel(transfer, t) || "—"}</dd>
          <dt className="font-medium text-slate-600">{t.review.columns.attempts}</dt>
          <dd>{transfer.attempts}</dd>
          <dt className="font-medium text-slate-600">{d.received}</dt>
          <dd>{formatDateTime(transfer.createdAt, locale)}</dd>
          <dt className="font-medium text-slate-600">{t.reconcile.source.label}</dt>
          <dd>{t.reconcile.source[transfer.source as keyof typeof t.reconcile.source] ?? transfer.source}</dd>
          <dt className="font-medium text-slate-600">{t.review.columns.updated}</dt>
          <dd>{formatDateTime(transfer.updatedAt, locale)}</dd>
          {transfer.skipReason ? (
            <>
              <dt className="font-medium text-slate-600">{d.skipReason}</dt>
              <dd>{describeSkipReason(transfer.skipReason, locale)}</dd>
            </>
          ) : null}
        </dl>
        <ErrorNotice error={error} status={status} t={t} />
        {canRetry ? (
          <RetryForm
            transferId={transfer.id}
            label={transfer.status === "failed" ? t.review.actions.retry : t.review.actions.transferNow}
            pendingLabel={t.review.actions.pending}
            action={retryTransferAction}
          />
        ) : null}
      </Section>

      <Section title={d.economicLinks} id="economic">
        {/* Addresses a person can open: PDFs through our server, e-conomic's web app where documented. */}
        {transfer.economicBookedNumber !== null || transfer.economicDraftNumber !== null ? (
          <ul className="list-inside list-disc text-sm">
            <li>
              {transfer.economicBookedNumber !== null ? (
                <a href={`/review/${transfer.id}/pdf`} className="text-emerald-800 underline">
                  {format(d.pdf, { number: transfer.economicBookedNumber })}
                </a>
              ) : (
                <a href={`/review/${transfer.id}/draft-pdf`} className="text-emerald-800 underline">
                  {format(d.draftPdf, { number: transfer.economicDraftNumber ?? "" })}
                </a>
              )}
            </li>
            {economicWebApp ? (
              <li>
                <a
                  href={economicWebApp}
                  className="text-emerald-800 underline"
                  rel="noreferrer"
                  target="_blank"
                >
                  {d.openWebApp}
                </a>{" "}
                <span className="text-slate-600">{d.webAppNote}</span>
              </li>
            ) : null}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{d.noEconomic}</p>
        )}
      </Section>

      <Section title={d.invoice} id="invoice">
        {transfer.invoice ? (
          <>
            {invoice.success ? (
              <Table
                caption={d.linesCaption}
                head={[
                  d.lineColumns.number,
                  d.lineColumns.product,
                  d.lineColumns.name,
                  d.lineColumns.quantity,
                  d.lineColumns.price,
                  d.lineColumns.discount,
                ]}
              >
                {invoice.data.lines.map((line, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id; their order is the identity.
                  <tr key={i}>
                    <td className={td}>{i + 1}</td>
                    <td className={td}>{line.child_id}</td>
                    <td className={td}>{line.name}</td>
                    <td className={`${td} tabular-nums`}>{formatDecimal(line.quantity, locale)}</td>
                    <td className={`${td} tabular-nums`}>{formatDecimal(line.line_price, locale)}</td>
                    <td className={`${td} tabular-nums`}>
                      {formatDecimal(line.discount_percentage, locale)}
                    </td>
                  </tr>
                ))}
              </Table>
            ) : null}
            <details className="rounded-md border border-slate-200 bg-white p-3">
              <summary className="cursor-pointer text-sm font-medium">{d.rawJson}</summary>
              <pre className="mt-2 max-h-96 overflow-auto text-xs">
                {JSON.stringify(transfer.invoice, null, 2)}
              </pre>
            </details>
          </>
        ) : (
          <p className="text-sm text-slate-600">{d.noInvoice}</p>
        )}
      </Section>

      <Section title={d.plan} id="plan">
        {plan ? (
          <ul className="list-inside list-disc space-y-1 text-sm">
            {plan.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the summary's lines are positional.
              <li key={i}>{line}</li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{d.noPlan}</p>
        )}
      </Section>

      <AttemptsSection attempts={attempts} t={t} locale={locale} />

      <CallsSection calls={calls} t={t} locale={locale} />

      <Section title={d.mail} id="mail">
        {mails.length === 0 ? (
          <p className="text-sm text-slate-600">{d.noMail}</p>
        ) : (
          <Table
            caption={d.mail}
            head={[
              d.mailColumns.at,
              d.mailColumns.to,
              d.mailColumns.subject,
              d.mailColumns.delivery,
              d.mailColumns.attachment,
            ]}
          >
            {mails.map((m) => (
              <tr key={m.id}>
                <td className={`${td} whitespace-nowrap`}>{formatDateTime(m.createdAt, locale, "second")}</td>
                <td className={td}>{m.toAddress}</td>
                <td className={td}>{m.subject}</td>
                <td className={td}>
                  {m.delivery === "sent" || m.delivery === "outbox" ? d.delivery[m.delivery] : m.delivery}
                </td>
                <td className={td}>
                  {m.hasAttachment ? (
                    <a href={`/review/${transfer.id}/mail/${m.id}`} className="text-emerald-800 underline">
                      {format(d.download, { name: m.attachmentName ?? "PDF" })}
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

      <WebhooksSection webhooks={webhooks} empty={d.noWebhooks} t={t} locale={locale} />
    </div>
  );
}
