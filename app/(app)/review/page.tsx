import Link from "next/link";
import { ReviewEmptyState } from "@/components/review/empty-state";
import { LiveRefresh } from "@/components/review/live-refresh";
import { ReviewFiltersForm } from "@/components/review/review-filters";
import { ReviewTabs } from "@/components/review/review-tabs";
import { StatusCounts } from "@/components/review/status-counts";
import { SweepNowForm } from "@/components/review/sweep-now-form";
import { TransferTable } from "@/components/review/transfer-table";
import { LinkPending } from "@/components/shell/link-pending";
import { getDb } from "@/db/client";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { parseReviewParams, type ReviewSearchParams, reviewQueryString } from "@/lib/review/filters";
import { countTransfersByStatus, listTransfers } from "@/lib/review/queries";
import { displayStatus, isInProgress } from "@/lib/review/status";
import { sweepNowAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function ReviewPage({ searchParams }: { searchParams: Promise<ReviewSearchParams> }) {
  const user = await requireUser();
  const { t, locale } = await getMessages();
  const { filters, invalid } = parseReviewParams(await searchParams);
  const db = await getDb();
  const [page, counts] = await Promise.all([
    listTransfers(db, user.companyId, filters),
    countTransfersByStatus(db, user.companyId),
  ]);
  const { cursor, ...withoutCursor } = filters;
  const filtered = Boolean(filters.status || filters.from || filters.to || filters.q);
  // The first page refreshes always (new invoices arrive there); a later page while it shows work.
  const live = !cursor || page.rows.some((r) => isInProgress(displayStatus(r)));
  const fieldNames = t.review.filters.fieldNames;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">{t.review.title}</h1>
        <LiveRefresh active={live} label={t.review.live} />
      </div>
      <ReviewTabs current="invoices" t={t.recordSync.view.tabs} />
      {isAdmin(user) ? (
        <SweepNowForm
          label={t.reconcile.sweep.button}
          pendingLabel={t.reconcile.sweep.pending}
          action={sweepNowAction}
        />
      ) : null}
      <StatusCounts counts={counts} filters={filters} t={t} locale={locale} />
      <ReviewFiltersForm filters={filters} t={t} />
      {invalid.length > 0 ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {format(t.review.filters.invalid, { fields: invalid.map((f) => fieldNames[f]).join(", ") })}
        </p>
      ) : null}
      {page.rows.length === 0 ? (
        <ReviewEmptyState t={t.review} filtered={filtered || Boolean(cursor)} q={filters.q} />
      ) : (
        <TransferTable rows={page.rows} t={t} locale={locale} />
      )}
      {cursor || page.nextCursor ? (
        <nav aria-label={t.review.pagination} className="flex gap-4 text-sm">
          {cursor ? (
            <Link href={`/review${reviewQueryString(withoutCursor)}`} className="text-emerald-800 underline">
              {t.review.firstPage}
              <LinkPending skeleton="list" />
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link
              href={`/review${reviewQueryString(withoutCursor, page.nextCursor)}`}
              className="text-emerald-800 underline"
            >
              {t.review.nextPage}
              <LinkPending skeleton="list" />
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
