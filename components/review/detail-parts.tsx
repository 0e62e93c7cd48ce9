import { z } from "zod";
import { formatDateTime } from "@/lib/i18n/format";
import { format, type Locale } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import type { TransferDetail } from "@/lib/review/detail";
import { maskJson, maskSensitive } from "@/lib/review/mask";
import { describeAttemptOutcome, describeTransferError } from "@/lib/transfer/errors";
import type { TransferError } from "@/lib/transfer/types";

/*
 * The parts of a queue row's detail page (review/[id] for an invoice, review/records/[id] for a
 * customer, customer group or product group): sections, tables, the error with its "Tekniske
 * detaljer", the attempts and the e-conomic calls.
 */

const transferErrorSchema = z.looseObject({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  line: z.number().optional(),
  field: z.string().optional(),
  detail: z.string().optional(),
});

export interface ErrorText {
  message: string;
  code: string;
  detail?: string;
}

/** A stored error in the reader's language, masked; null when it is not one. */
export function errorText(value: unknown, locale: Locale): ErrorText | null {
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
export function TechnicalDetails({ summary, children }: { summary: string; children: React.ReactNode }) {
  return (
    <details className="mt-2 text-xs">
      <summary className="cursor-pointer font-medium">{summary}</summary>
      <div className="mt-1 space-y-1 break-all font-mono">{children}</div>
    </details>
  );
}

export const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
export const td = "px-3 py-2 align-top text-sm";

export function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Table({
  caption,
  head,
  children,
}: {
  caption: string;
  head: string[];
  children: React.ReactNode;
}) {
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

/** The row's error (failed for good, or the last attempt's while a retry waits). */
export function ErrorNotice({ error, status, t }: { error: ErrorText | null; status: string; t: Messages }) {
  if (!error || (status !== "failed" && status !== "retrying")) return null;
  const d = t.review.detail;
  return (
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
  );
}

export function AttemptsSection({
  attempts,
  t,
  locale,
}: {
  attempts: TransferDetail["attempts"];
  t: Messages;
  locale: Locale;
}) {
  const d = t.review.detail;
  return (
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
                <td className={`${td} whitespace-nowrap`}>{formatDateTime(a.startedAt, locale, "second")}</td>
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
  );
}

export function CallsSection({
  calls,
  t,
  locale,
}: {
  calls: TransferDetail["calls"];
  t: Messages;
  locale: Locale;
}) {
  const d = t.review.detail;
  return (
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
  );
}

export function WebhooksSection({
  webhooks,
  empty,
  t,
  locale,
}: {
  webhooks: TransferDetail["webhooks"];
  /** What to say when none arrived (the invoice's or the record's wording). */
  empty: string;
  t: Messages;
  locale: Locale;
}) {
  const d = t.review.detail;
  return (
    <Section title={d.webhooks} id="webhooks">
      {webhooks.length === 0 ? (
        <p className="text-sm text-slate-600">{empty}</p>
      ) : (
        <Table
          caption={d.webhooks}
          head={[d.webhookColumns.at, d.webhookColumns.event, d.webhookColumns.key]}
        >
          {webhooks.map((w) => (
            <tr key={w.id}>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(w.receivedAt, locale, "second")}</td>
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
  );
}
