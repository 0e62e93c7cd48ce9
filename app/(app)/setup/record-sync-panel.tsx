import { LiveRefresh } from "@/components/review/live-refresh";
import { ProgressCounts } from "@/components/ui/progress-counts";
import type { Db } from "@/db/client";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { recordSyncProgress } from "@/lib/sync/first-sync";
import type { RecordEventNames } from "@/lib/sync/record-key";
import { FirstSyncForm, RecordEventsForm } from "./record-sync-form";

/**
 * The debitor integration's records: the registered events, the progress of their syncs (the
 * first sync's walk over Rackbeat and the queue, both read from the database, so it survives a
 * reload and a restart) and "Synkronisér kunder og grupper nu".
 */
export async function RecordSyncPanel({
  db,
  companyId,
  events,
  names,
  t,
  readOnly,
}: {
  db: Db;
  companyId: string;
  events: string[];
  names: RecordEventNames;
  t: Messages["recordSync"];
  readOnly: boolean;
}) {
  const progress = await recordSyncProgress(db, companyId);
  const finished = progress.synced + progress.failed;
  const percent = progress.total > 0 ? Math.round((finished / progress.total) * 100) : 0;
  const counts: [string, number][] = [
    [t.total, progress.total],
    [t.synced, progress.synced],
    [t.pending, progress.pending],
    [t.failedCount, progress.failed],
  ];
  const job = progress.job;
  const walking = job?.status === "running";
  const walkText = job
    ? job.status === "running"
      ? job.error
        ? format(t.walk.waiting, { error: job.error })
        : format(t.walk.running, {
            list: t.walk.lists[job.list as keyof typeof t.walk.lists] ?? job.list,
            page: String(job.nextPage),
            found: String(job.found),
          })
      : job.status === "done"
        ? format(t.walk.done, { found: String(job.found) })
        : format(t.walk.failed, { error: job.error ?? job.status })
    : null;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {events.length > 0 ? format(t.webhooks, { events: events.join(", ") }) : t.noWebhooks}
      </p>
      {progress.total > 0 || walking ? (
        <div className="space-y-2">
          <LiveRefresh active={progress.pending > 0 || walking} label="" />
          {walkText ? (
            <p className="text-sm text-slate-700" data-first-sync={job?.status}>
              {walkText}
            </p>
          ) : null}
          <ProgressCounts label={t.progress} percent={percent} counts={counts} />
        </div>
      ) : null}
      <FirstSyncForm t={t} readOnly={readOnly} />
      <RecordEventsForm t={t.events} current={names} readOnly={readOnly} />
    </div>
  );
}
