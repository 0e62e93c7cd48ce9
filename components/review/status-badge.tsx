import type { TransferStatus } from "@/db/schema";

const styles: Record<TransferStatus, string> = {
  queued: "bg-slate-100 text-slate-800 ring-slate-300",
  processing: "bg-sky-50 text-sky-800 ring-sky-300",
  draft: "bg-amber-50 text-amber-900 ring-amber-300",
  booked: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  failed: "bg-red-50 text-red-800 ring-red-300",
  skipped: "bg-slate-50 text-slate-600 ring-slate-300",
};

/** The status as a word (never colour alone), with the failed transfer's retry time or "given up". */
export function StatusBadge({
  status,
  label,
  note,
}: {
  status: TransferStatus;
  label: string;
  note?: string;
}) {
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <span
        className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[status]}`}
        data-status={status}
      >
        {label}
      </span>
      {note ? <span className="text-xs text-slate-600">{note}</span> : null}
    </span>
  );
}
