import Link from "next/link";
import { LinkPending } from "@/components/shell/link-pending";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { MIN_NAME_FRAGMENT } from "@/lib/review/queries";

/**
 * The review list without rows says why and what to do: nothing transferred yet (where invoices
 * come from), a search too short for names, or filters that match nothing (reset them).
 */
export function ReviewEmptyState({
  t,
  filtered,
  q,
}: {
  t: Messages["review"];
  filtered: boolean;
  q: string | undefined;
}) {
  const box = "space-y-2 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm";
  if (!filtered) {
    return (
      <div className={box}>
        <p className="font-medium text-slate-900">{t.empty}</p>
        <p className="text-slate-700">{t.emptyHint}</p>
        <p>
          <Link href="/setup" className="font-medium text-emerald-800 underline">
            {t.emptyLink}
            <LinkPending skeleton="form" />
          </Link>
        </p>
      </div>
    );
  }
  const short = q !== undefined && [...q.trim()].length < MIN_NAME_FRAGMENT;
  return (
    <div className={box} role="status">
      <p className="font-medium text-slate-900">
        {short ? format(t.shortSearch, { q: q.trim(), min: MIN_NAME_FRAGMENT }) : t.noMatches}
      </p>
      <p>
        <Link href="/review" className="font-medium text-emerald-800 underline">
          {t.filters.reset}
          <LinkPending skeleton="list" />
        </Link>
      </p>
    </div>
  );
}
