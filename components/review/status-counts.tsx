import Link from "next/link";
import { LinkPending } from "@/components/shell/link-pending";
import type { TransferStatus } from "@/db/schema";
import { format, type Locale } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { type ReviewFilters, reviewQueryString, transferStatuses } from "@/lib/review/filters";
import { formatCount } from "@/lib/review/format";
import type { StatusCounts as Counts } from "@/lib/review/queries";

/** One link per status with its count; each keeps the date range and search and sets the status. */
export function StatusCounts({
  counts,
  filters,
  t,
  locale,
}: {
  counts: Counts;
  filters: ReviewFilters;
  t: Messages;
  locale: Locale;
}) {
  const { cursor: _cursor, status: current, ...rest } = filters;
  const countText = (status: TransferStatus) => {
    const c = counts[status];
    const n = formatCount(c.count, locale);
    return c.capped ? format(t.review.counts.capped, { count: n }) : n;
  };
  const linkClass = (active: boolean) =>
    `inline-flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm ${
      active
        ? "border-emerald-700 bg-emerald-50 font-medium text-emerald-900"
        : "border-slate-200 bg-white text-slate-700 hover:bg-slate-50"
    }`;
  return (
    <nav aria-label={t.review.counts.label}>
      <ul className="flex flex-wrap gap-2">
        <li>
          <Link
            href={`/review${reviewQueryString(rest)}`}
            className={linkClass(!current)}
            aria-current={!current ? "page" : undefined}
          >
            {t.review.counts.all}
            <LinkPending skeleton="list" />
          </Link>
        </li>
        {transferStatuses.map((status) => (
          <li key={status}>
            <Link
              href={`/review${reviewQueryString({ ...rest, status })}`}
              className={linkClass(current === status)}
              aria-current={current === status ? "page" : undefined}
            >
              <span>{status === "failed" ? t.review.failedOrRetrying : t.transfer.status[status]}</span>
              <span className="tabular-nums text-slate-600">{countText(status)}</span>
              <LinkPending skeleton="list" />
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
