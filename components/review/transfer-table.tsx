import Link from "next/link";
import { formatDateTime } from "@/lib/i18n/date-time";
import { format, type Locale } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { amountDifferences } from "@/lib/review/amount-differences";
import { formatAmount, formatDay } from "@/lib/review/format";
import type { ReviewRow } from "@/lib/review/queries";
import { StatusBadge } from "./status-badge";

export function failedNote(row: Pick<ReviewRow, "status" | "nextAttemptAt">, t: Messages, locale: Locale) {
  if (row.status !== "failed") return undefined;
  return row.nextAttemptAt
    ? format(t.review.retryingAt, { time: formatDateTime(row.nextAttemptAt, locale, "second") })
    : t.review.givenUp;
}

export function economicNumber(
  row: Pick<ReviewRow, "economicDraftNumber" | "economicBookedNumber">,
  t: Messages,
) {
  if (row.economicBookedNumber !== null)
    return format(t.review.bookedNumber, { number: row.economicBookedNumber });
  if (row.economicDraftNumber !== null)
    return format(t.review.draftNumber, { number: row.economicDraftNumber });
  return "";
}

export function sentByLabel(sentBy: string | null, t: Messages): string {
  if (sentBy === "ean" || sentBy === "email" || sentBy === "none") return t.review.sentBy[sentBy];
  return sentBy ?? "";
}

/** The transfers of one page. Columns are real table headers so screen readers name each cell. */
export function TransferTable({ rows, t, locale }: { rows: ReviewRow[]; t: Messages; locale: Locale }) {
  const c = t.review.columns;
  const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
  const td = "px-3 py-2 align-top text-sm";
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200">
        <caption className="sr-only">{t.review.caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>
              {c.invoice}
            </th>
            <th scope="col" className={th}>
              {c.order}
            </th>
            <th scope="col" className={th}>
              {c.customer}
            </th>
            <th scope="col" className={th}>
              {c.date}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {c.amount}
            </th>
            <th scope="col" className={th}>
              {c.status}
            </th>
            <th scope="col" className={th}>
              {c.economic}
            </th>
            <th scope="col" className={th}>
              {c.sentBy}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {c.attempts}
            </th>
            <th scope="col" className={th}>
              {c.updated}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-transfer-id={row.id}>
              <th scope="row" className={`${td} font-medium`}>
                <Link
                  href={`/review/${row.id}`}
                  className="text-emerald-800 underline"
                  aria-label={format(t.review.openTransfer, { number: row.rackbeatInvoiceNumber })}
                >
                  {row.rackbeatInvoiceNumber}
                </Link>
              </th>
              <td className={td}>{row.orderNumber}</td>
              <td className={td}>
                {row.customerNumber ? <span className="text-slate-500">{row.customerNumber} </span> : null}
                {row.customerName}
              </td>
              <td className={`${td} whitespace-nowrap`}>{formatDay(row.invoiceDate, locale)}</td>
              <td className={`${td} whitespace-nowrap text-right tabular-nums`}>
                {formatAmount(row.netAmount, locale)} {row.currency}
                {row.amountMismatch ? (
                  <span className="mt-1 block text-xs font-medium text-red-700">
                    ⚠ {t.review.mismatch}
                    {amountDifferences(row, locale).map((d) => (
                      <span key={d.figure} className="block font-normal">
                        {format(t.review.mismatchDetail, {
                          label: t.review.amountLabels[d.figure],
                          rackbeat: d.rackbeat,
                          economic: d.economic,
                        })}
                      </span>
                    ))}
                  </span>
                ) : null}
              </td>
              <td className={td}>
                <StatusBadge
                  status={row.status}
                  label={t.transfer.status[row.status]}
                  note={failedNote(row, t, locale)}
                />
              </td>
              <td className={`${td} whitespace-nowrap`}>{economicNumber(row, t)}</td>
              <td className={td}>{sentByLabel(row.sentBy, t)}</td>
              <td className={`${td} text-right tabular-nums`}>{row.attempts}</td>
              <td className={`${td} whitespace-nowrap text-slate-600`}>
                {formatDateTime(row.updatedAt, locale, "second")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
