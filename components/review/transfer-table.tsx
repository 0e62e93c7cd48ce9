import Link from "next/link";
import { LinkPending } from "@/components/shell/link-pending";
import { formatDate, formatDateTime, formatMoney } from "@/lib/i18n/format";
import { format, type Locale } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { amountDifferences } from "@/lib/review/amount-differences";
import type { ReviewRow } from "@/lib/review/queries";
import { StatusBadge } from "./status-badge";

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

/**
 * How the invoice reached the customer. "Ikke sendt" only when we know it was not sent: a booked
 * invoice we did not send ourselves may well have been sent from Rackbeat, so it says so.
 */
export function sentByLabel(row: Pick<ReviewRow, "sentBy" | "status">, t: Messages): string {
  const sentBy = row.sentBy;
  if (sentBy === "ean" || sentBy === "email") return t.review.sentBy[sentBy];
  if (sentBy === "none") return row.status === "booked" ? t.review.sentBy.notByUs : t.review.sentBy.none;
  return sentBy ?? "";
}

/** The transfers of one page. Columns are real table headers so screen readers name each cell. */
export function TransferTable({ rows, t, locale }: { rows: ReviewRow[]; t: Messages; locale: Locale }) {
  const c = t.review.columns;
  const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
  const td = "px-3 py-2 align-top text-sm";
  // At phone width the table keeps invoice (with the customer), status and amount; the rest is on
  // the invoice's own page.
  const wide = "hidden md:table-cell";
  return (
    <div
      // Focusable, so a keyboard can scroll a table wider than a phone.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container must take focus (WCAG 2.1.1).
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600"
    >
      <table className="min-w-full divide-y divide-slate-200">
        <caption className="sr-only">{t.review.caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>
              {c.invoice}
            </th>
            <th scope="col" className={th}>
              {c.status}
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              {c.order}
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              {c.customer}
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              {c.date}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {c.amount}
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              {c.economic}
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              {c.sentBy}
            </th>
            <th scope="col" className={`${th} ${wide} text-right`}>
              {c.attempts}
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              {c.updated}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-transfer-id={row.id}>
              <th scope="row" className={`${td} text-left font-medium`}>
                <Link
                  href={`/review/${row.id}`}
                  className="text-emerald-800 underline"
                  aria-label={format(t.review.openTransfer, { number: row.rackbeatInvoiceNumber })}
                >
                  {row.rackbeatInvoiceNumber}
                  <LinkPending skeleton="detail" />
                </Link>
                <span className="mt-0.5 block font-normal text-slate-600 md:hidden">{row.customerName}</span>
              </th>
              <td className={td}>
                <StatusBadge row={row} t={t} locale={locale} />
              </td>
              <td className={`${td} ${wide}`}>{row.orderNumber}</td>
              <td className={`${td} ${wide}`}>
                {row.customerNumber ? <span className="text-slate-600">{row.customerNumber} </span> : null}
                {row.customerName}
              </td>
              <td className={`${td} ${wide} whitespace-nowrap`}>{formatDate(row.invoiceDate, locale)}</td>
              <td className={`${td} whitespace-nowrap text-right tabular-nums`}>
                {formatMoney(row.netAmount, row.currency, locale)}
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
              <td className={`${td} ${wide} whitespace-nowrap`}>{economicNumber(row, t)}</td>
              <td className={`${td} ${wide}`}>{sentByLabel(row, t)}</td>
              <td className={`${td} ${wide} text-right tabular-nums`}>{row.attempts}</td>
              <td className={`${td} ${wide} whitespace-nowrap text-slate-600`}>
                {formatDateTime(row.updatedAt, locale)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
