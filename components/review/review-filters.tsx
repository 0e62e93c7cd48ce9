import Link from "next/link";
import { LinkPending } from "@/components/shell/link-pending";
import type { Messages } from "@/lib/i18n/messages";
import { type ReviewFilters as Filters, transferStatuses } from "@/lib/review/filters";

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none focus:ring-1 focus:ring-emerald-600";

/** A plain GET form: the filters land in the URL, so any view can be bookmarked or shared. */
export function ReviewFiltersForm({ filters, t }: { filters: Filters; t: Messages }) {
  const f = t.review.filters;
  return (
    <search aria-label={f.legend}>
      <form method="get" action="/review" className="rounded-lg border border-slate-200 bg-white p-4">
        <fieldset className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[1fr_auto_auto_2fr_auto]">
          <legend className="sr-only">{f.legend}</legend>
          <div>
            <label htmlFor="review-status" className="text-sm font-medium text-slate-800">
              {f.status}
            </label>
            <select
              id="review-status"
              name="status"
              defaultValue={filters.status ?? ""}
              className={inputClass}
            >
              <option value="">{f.allStatuses}</option>
              {transferStatuses.map((status) => (
                <option key={status} value={status}>
                  {status === "failed" ? t.review.failedOrRetrying : t.transfer.status[status]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="review-from" className="text-sm font-medium text-slate-800">
              {f.from}
            </label>
            <input
              id="review-from"
              name="from"
              type="date"
              defaultValue={filters.from ?? ""}
              aria-describedby="review-date-hint"
              className={inputClass}
            />
          </div>
          <div>
            <label htmlFor="review-to" className="text-sm font-medium text-slate-800">
              {f.to}
            </label>
            <input
              id="review-to"
              name="to"
              type="date"
              defaultValue={filters.to ?? ""}
              aria-describedby="review-date-hint"
              className={inputClass}
            />
          </div>
          <div>
            <label htmlFor="review-q" className="text-sm font-medium text-slate-800">
              {f.search}
            </label>
            <input
              id="review-q"
              name="q"
              type="search"
              maxLength={100}
              defaultValue={filters.q ?? ""}
              aria-describedby="review-q-hint"
              className={inputClass}
            />
          </div>
          <div className="flex items-end gap-2">
            <button
              type="submit"
              className="inline-flex items-center rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:ring-offset-2"
            >
              {f.apply}
            </button>
            <Link href="/review" className="px-2 py-2 text-sm text-slate-700 underline">
              {f.reset}
              <LinkPending skeleton="list" />
            </Link>
          </div>
        </fieldset>
        <div className="mt-2 space-y-1 text-xs text-slate-600">
          <p id="review-date-hint">{f.dateHint}</p>
          <p id="review-q-hint">{f.searchHint}</p>
        </div>
      </form>
    </search>
  );
}
