import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { LiveRefresh } from "@/components/review/live-refresh";
import { RetryForm } from "@/components/review/retry-form";
import { StatusBadge } from "@/components/review/status-badge";
import { economicNumber, sentByLabel } from "@/components/review/transfer-table";
import { getDb } from "@/db/client";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { economicWebAppUrl } from "@/lib/economic/web-app";
import { externalUrls } from "@/lib/env";
import { formatDate, formatDateTime, formatDecimal, formatMoney } from "@/lib/i18n/format";
import { format, type Locale } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { amountDifferences } from "@/lib/review/amount-differences";
import { loadTransferDetail } from "@/lib/review/detail";
import { maskJson, maskSensitive } from "@/lib/review/mask";
import { displayStatus, isInProgress } from "@/lib/review/status";
import { describeAttemptOutcome, describeSkipReason, describeTransferError } from "@/lib/transfer/errors";
import type { TransferPlan } from "@/lib/transfer/plan-types";
import { describePlan } from "@/lib/transfer/preview";
import type { TransferError } from "@/lib/transfer/types";
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

const transferErrorSchema = z.looseObject({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  line: z.number().optional(),
  field: z.string().optional(),
  detail: z.string().optional(),
});

function errorText(
  value: unknown,
  locale: Locale,
): { message: string; code: string; detail?: string } | null {
  const parsed = transferErrorSchema.safeParse(value);
  if (!parsed.success) return null;
  const error = parsed.data as TransferError;
  return {
    message: maskSensitive(describeTransferError(error, locale)),
    code: error.code,
    detail: error.detail ? maskSensitive(error.detail) : undefined,
  };
}

/** Error codes and raw details: for support, folded away from the bookkeeper's reading. */
function TechnicalDetails({ summary, children }: { summary: string; children: React.ReactNode }) {
  return (
    <details className="mt-2 text-xs">
      <summary className="cursor-pointer font-medium">{summary}</summary>
      <div className="mt-1 space-y-1 break-all font-mono">{children}</div>
    </details>
  );
}

function planLines(plan: unknown, locale: Locale): string[] | null {
  if (!plan || typeof plan !== "object" || !("kind" in plan)) return null;
  try {
    return describePlan(plan as TransferPlan, locale);
  } catch {
    return null;
  }
}

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-2 align-top text-sm";

function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Table({ caption, head, children }: { caption: string; head: string[]; children: React.ReactNode }) {
  return (
    <div
      // Focusable, so a keyboard can scroll a table wider than a phone.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container must take focus (WCAG 2.1.1).
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600"
    >
      <table className="min-w-full divide-y divide-slate-200">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className={th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
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
        {error && (status === "failed" || status === "retrying") ? (
          <div
            role={status === "failed" ? "alert" : "status"}
            className={`rounded-md px-4 py-3 text-sm ${
              status === "failed" ? "bg-red-50 text-red-900" : "bg-sky-50 text-sky-950"
            }`}
          >
            <p className="font-medium">
              {status === "failed" ? d.error : d.lastAttemptError}: {error.message}
            </p>
            <TechnicalDetails summary={t.transfer.technical}>
              <p>
                {t.transfer.technicalCode}: {error.code}
              </p>
              {error.detail ? (
                <p>
                  {t.transfer.technicalDetail}: {error.detail}
                </p>
              ) : null}
            </TechnicalDetails>
          </div>
        ) : null}
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

      <Section title={d.attempts} id="attempts">
        {attempts.length === 0 ? (
          <p className="text-sm text-slate-600">{d.noAttempts}</p>
        ) : (
          <Table
            caption={d.attempts}
            head={[
              d.attemptColumns.attempt,
              d.attemptColumns.started,
              d.attemptColumns.finished,
              d.attemptColumns.outcome,
              d.attemptColumns.error,
              d.attemptColumns.worker,
            ]}
          >
            {attempts.map((a) => {
              const e = errorText(a.error, locale);
              return (
                <tr key={a.id}>
                  <td className={td}>{a.attempt}</td>
                  <td className={`${td} whitespace-nowrap`}>
                    {formatDateTime(a.startedAt, locale, "second")}
                  </td>
                  <td className={`${td} whitespace-nowrap`}>
                    {formatDateTime(a.finishedAt, locale, "second")}
                  </td>
                  <td className={td}>{describeAttemptOutcome(a.outcome, locale)}</td>
                  <td className={td}>
                    {e?.message}
                    {e ? (
                      <TechnicalDetails summary={t.transfer.technical}>
                        <p>{e.code}</p>
                        {e.detail ? <p>{e.detail}</p> : null}
                      </TechnicalDetails>
                    ) : null}
                  </td>
                  <td className={`${td} font-mono text-xs`}>{a.worker}</td>
                </tr>
              );
            })}
          </Table>
        )}
      </Section>

      <Section title={d.calls} id="calls">
        {calls.length === 0 ? (
          <p className="text-sm text-slate-600">{d.noCalls}</p>
        ) : (
          <Table
            caption={d.calls}
            head={[
              d.callColumns.at,
              d.callColumns.attempt,
              d.callColumns.method,
              d.callColumns.path,
              d.callColumns.status,
              d.callColumns.duration,
              d.callColumns.error,
            ]}
          >
            {calls.map((c) => (
              <tr key={c.id}>
                <td className={`${td} whitespace-nowrap`}>{formatDateTime(c.at, locale, "second")}</td>
                <td className={td}>{c.attempt}</td>
                <td className={`${td} font-mono text-xs`}>{c.method}</td>
                <td className={`${td} break-all font-mono text-xs`}>{c.path}</td>
                <td className={td}>{c.status ?? "—"}</td>
                <td className={`${td} whitespace-nowrap tabular-nums`}>
                  {format(d.durationMs, { ms: c.durationMs })}
                </td>
                <td className={`${td} text-xs`}>{c.error}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

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

      <Section title={d.webhooks} id="webhooks">
        {webhooks.length === 0 ? (
          <p className="text-sm text-slate-600">{d.noWebhooks}</p>
        ) : (
          <Table
            caption={d.webhooks}
            head={[d.webhookColumns.at, d.webhookColumns.event, d.webhookColumns.key]}
          >
            {webhooks.map((w) => (
              <tr key={w.id}>
                <td className={`${td} whitespace-nowrap`}>
                  {formatDateTime(w.receivedAt, locale, "second")}
                </td>
                <td className={td}>{w.event}</td>
                <td className={td}>
                  {w.key}
                  <TechnicalDetails summary={t.transfer.technical}>
                    <pre className="max-w-md overflow-auto whitespace-pre-wrap">
                      {JSON.stringify(maskJson(w.headers), null, 2)}
                    </pre>
                  </TechnicalDetails>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </div>
  );
}
