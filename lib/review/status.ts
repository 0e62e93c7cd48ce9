import type { TransferStatus } from "@/db/schema";

/**
 * What a bookkeeper reads as a transfer's status. A failed attempt with a next attempt planned is
 * "retrying" (the app is still working on it, nothing to do); "failed" only once it has given up.
 */
export type DisplayStatus = TransferStatus | "retrying";

export function displayStatus(row: { status: TransferStatus; nextAttemptAt: Date | null }): DisplayStatus {
  return row.status === "failed" && row.nextAttemptAt ? "retrying" : row.status;
}

/** The app is still at work: the page that shows it keeps refreshing. */
export function isInProgress(status: DisplayStatus): boolean {
  return status === "queued" || status === "processing" || status === "retrying";
}
