import type { TransferStatus } from "@/db/schema";
import { formatTime } from "@/lib/i18n/format";
import { format, type Locale } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { type DisplayStatus, displayStatus } from "@/lib/review/status";
import { describeNextStep } from "@/lib/transfer/errors";

const styles: Record<DisplayStatus, string> = {
  queued: "bg-slate-100 text-slate-800 ring-slate-300",
  processing: "bg-sky-50 text-sky-800 ring-sky-300",
  retrying: "bg-sky-50 text-sky-900 ring-sky-300",
  draft: "bg-amber-50 text-amber-900 ring-amber-300",
  booked: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  failed: "bg-red-50 text-red-800 ring-red-300",
  skipped: "bg-slate-50 text-slate-700 ring-slate-300",
};

/** "Prøver igen kl. 14.05" while a retry waits (or "Prøver igen nu" once due); else the status word. */
export function statusLabel(
  row: { status: TransferStatus; nextAttemptAt: Date | null },
  t: Messages,
  locale: Locale,
  now: Date = new Date(),
): string {
  if (displayStatus(row) !== "retrying" || !row.nextAttemptAt) return t.transfer.status[row.status];
  if (row.nextAttemptAt <= now) return t.transfer.retryingNow;
  return format(t.transfer.retryingAt, { time: formatTime(row.nextAttemptAt, locale) });
}

/**
 * The status as words (never colour alone). A retrying or failed transfer also gets its one
 * sentence on what to do (`withNextStep`, on the detail page and in the list).
 */
export function StatusBadge({
  row,
  t,
  locale,
  withNextStep = false,
}: {
  row: { status: TransferStatus; nextAttemptAt: Date | null; lastError?: unknown };
  t: Messages;
  locale: Locale;
  withNextStep?: boolean;
}) {
  const status = displayStatus(row);
  const code =
    row.lastError && typeof row.lastError === "object" && "code" in row.lastError
      ? String((row.lastError as { code: unknown }).code)
      : undefined;
  const note =
    withNextStep && (status === "retrying" || status === "failed")
      ? describeNextStep(code, locale, status === "retrying")
      : undefined;
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <span
        className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[status]}`}
        data-status={status}
      >
        {statusLabel(row, t, locale)}
      </span>
      {note ? <span className="text-xs text-slate-700">{note}</span> : null}
    </span>
  );
}
