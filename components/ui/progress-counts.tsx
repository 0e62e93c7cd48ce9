/**
 * A long job's progress as a bar and its counts (found, queued, done, failed, ...), as the setup
 * guide shows the backfill and the first sync of customers and groups.
 */
export function ProgressCounts({
  label,
  percent,
  counts,
}: {
  label: string;
  percent: number;
  counts: readonly (readonly [string, number])[];
}) {
  return (
    <>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 w-full max-w-md overflow-hidden rounded bg-slate-200"
      >
        <div className="h-full bg-emerald-600" style={{ width: `${percent}%` }} />
      </div>
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {counts.map(([name, value]) => (
          <div key={name} className="flex gap-1">
            <dt className="text-slate-600">{name}:</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
