import Link from "next/link";
import { LiveRefresh } from "@/components/review/live-refresh";
import { RetryForm } from "@/components/review/retry-form";
import { ReviewTabs } from "@/components/review/review-tabs";
import { LinkPending } from "@/components/shell/link-pending";
import { getDb } from "@/db/client";
import { transferStatusEnum } from "@/db/schema";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/i18n/date-time";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";
import { listRecordSyncs, parseRecordParams, recordQueryString } from "@/lib/review/records";
import { RECORD_KINDS } from "@/lib/sync/record-key";
import { describeTransferError } from "@/lib/transfer/errors";
import { retryTransferAction } from "../actions";

export const dynamic = "force-dynamic";

/** "Stamdata": the master-data syncs (lib/sync), with filters, search and keyset pagination. */
export default async function RecordSyncsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { t, locale } = await getMessages();
  const v = t.recordSync.view;
  const filters = parseRecordParams(await searchParams);
  const { cursor, ...withoutCursor } = filters;
  const page = await listRecordSyncs(await getDb(), user.companyId, filters);
  const admin = isAdmin(user);
  const live = page.rows.some((r) => r.status === "queued" || r.status === "processing");
  const select = "rounded-md border border-slate-300 px-2 py-1.5 text-sm";

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">{v.title}</h1>
        <LiveRefresh active={live} label={t.review.live} />
      </div>
      <ReviewTabs current="records" t={v.tabs} />
      <p className="text-sm text-slate-600">{v.intro}</p>
      <form method="get" className="flex flex-wrap items-end gap-3">
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{v.kindFilter}</span>
          <select name="kind" defaultValue={filters.kind ?? ""} className={select}>
            <option value="">{v.kinds.all}</option>
            {RECORD_KINDS.map((k) => (
              <option key={k} value={k}>
                {v.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{v.statusFilter}</span>
          <select name="status" defaultValue={filters.status ?? ""} className={select}>
            <option value="">{v.statuses.all}</option>
            {transferStatusEnum.enumValues
              .filter((s) => s !== "draft")
              .map((s) => (
                <option key={s} value={s}>
                  {v.statuses[s]}
                </option>
              ))}
          </select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{v.search}</span>
          <input name="q" inputMode="numeric" defaultValue={filters.q ?? ""} className={select} />
        </label>
        <button
          type="submit"
          className="rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white"
        >
          {v.filter}
        </button>
      </form>
      {page.rows.length === 0 ? (
        <p className="text-slate-600">{v.empty}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                {[
                  v.columns.kind,
                  v.columns.number,
                  v.columns.status,
                  v.columns.attempts,
                  v.columns.calls,
                  v.columns.error,
                  v.columns.updated,
                  admin ? v.columns.action : null,
                ]
                  .filter((c): c is string => c !== null)
                  .map((c) => (
                    <th key={c} scope="col" className="px-2 py-2 font-medium">
                      {c}
                    </th>
                  ))}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id} className="border-b border-slate-100 align-top">
                  <td className="px-2 py-2">{v.kinds[r.kind]}</td>
                  <td className="px-2 py-2 tabular-nums">
                    <Link
                      href={`/review/records/${r.id}`}
                      className="text-emerald-800 underline"
                      aria-label={format(v.open, { kind: v.kinds[r.kind], number: r.number })}
                    >
                      {r.number}
                      <LinkPending skeleton="detail" />
                    </Link>
                  </td>
                  <td className="px-2 py-2" data-status={r.status}>
                    {v.statuses[r.status]}
                    {r.status === "failed" && r.nextAttemptAt ? (
                      <span className="block text-xs text-slate-600">
                        {format(v.retrying_at, { at: formatDateTime(r.nextAttemptAt, locale) })}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-2 py-2 tabular-nums">{r.attempts}</td>
                  <td className="px-2 py-2 tabular-nums">{r.calls}</td>
                  <td className="px-2 py-2">
                    {r.lastError ? describeTransferError(r.lastError, locale) : ""}
                  </td>
                  <td className="px-2 py-2">{formatDateTime(r.updatedAt, locale)}</td>
                  {admin ? (
                    <td className="px-2 py-2">
                      {r.status === "failed" || r.status === "skipped" ? (
                        <RetryForm
                          transferId={r.id}
                          label={v.retry}
                          pendingLabel={v.retrying}
                          action={retryTransferAction}
                        />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor || page.nextCursor ? (
        <nav aria-label={t.review.pagination} className="flex gap-4 text-sm">
          {cursor ? (
            <Link
              href={`/review/records${recordQueryString(withoutCursor)}`}
              className="text-emerald-800 underline"
            >
              {v.first}
              <LinkPending skeleton="list" />
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link
              href={`/review/records${recordQueryString({ ...withoutCursor, cursor: page.nextCursor })}`}
              className="text-emerald-800 underline"
            >
              {v.next}
              <LinkPending skeleton="list" />
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
