import { LiveRefresh } from "@/components/review/live-refresh";
import { ProgressCounts } from "@/components/ui/progress-counts";
import type { Db } from "@/db/client";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { recordSyncProgress } from "@/lib/sync/first-sync";
import type { RecordEventNames } from "@/lib/sync/record-key";
import { FirstSyncForm, RecordEventsForm } from "./record-sync-form";

/**
 * The debitor integration's records: the registered events, the progress of their syncs (read
 * from the queue, so it survives a reload) and "Synkronisér kunder og grupper nu".
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
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {events.length > 0 ? format(t.webhooks, { events: events.join(", ") }) : t.noWebhooks}
      </p>
      {progress.total > 0 ? (
        <div className="space-y-2">
          <LiveRefresh active={progress.pending > 0} label="" />
          <ProgressCounts label={t.progress} percent={percent} counts={counts} />
        </div>
      ) : null}
      <FirstSyncForm t={t} readOnly={readOnly} />
      <RecordEventsForm t={t.events} current={names} readOnly={readOnly} />
    </div>
  );
}
