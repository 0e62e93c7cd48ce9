import type { ClaimedTransfer, TransferPatch } from "./types";

/**
 * Write-behind for one attempt: what the engine learnt and has not written yet — columns of the
 * transfer row (the invoice, the plan, the checkpoint's master-data marks, e-conomic's numbers and
 * amounts), the review search's customer, master-data cache entries, the e-conomic call log, and a
 * draft claim to take or give up. It rides along with the next fenced write of the row
 * (queue.ts `writeLeased`, one statement), and whatever is left with the completion.
 *
 * The only writes that must be durable before an e-conomic request are the exactly-once "sent"
 * marks (send-once.ts); everything else here repeats safely when an attempt dies before writing it
 * (find-or-create, adoption of a sent draft or booking). A worker that lost its lease writes none
 * of it. Pure bookkeeping: no I/O here (the SQL is in unsaved-sql.ts).
 */

/** An `economic_known` row (known-master-data.ts `knownRowOf`). */
export type KnownRow = { companyId: string; agreement: string; kind: string; key: string; data: unknown };

/** An `economic_calls` row (call-log.ts `callRowOf`). */
export type CallRow = {
  transferId: string;
  attempt: number;
  method: string;
  path: string;
  status: number | null;
  durationMs: number;
  error: string | null;
};

/** A draft of the company's e-conomic agreement, as `economic_draft_claims` keys it. */
export type DraftRef = { agreement: string; draftNumber: number };

export interface UnsavedWrites {
  /** Columns of the transfer row; a later value of a column replaces an earlier one. */
  patch: TransferPatch;
  /** The invoice's customer for the review search by name (`transfer_customers`). */
  customer?: { customerNumber: string; customerName: string };
  known: KnownRow[];
  calls: CallRow[];
  /**
   * A draft e-conomic just made in answer to this transfer's POST: claimed by the write that
   * carries it, which writes nothing when another transfer holds the number.
   */
  claimDraft?: DraftRef & { sentAt?: string };
  /** A draft that is gone (booked, or deleted in e-conomic): its claim is given up. */
  releaseDraft?: DraftRef;
}

export function emptyUnsaved(): UnsavedWrites {
  return { patch: {}, known: [], calls: [] };
}

/** The transfer's unsaved writes, created on first use. */
export function unsavedOf(transfer: Pick<ClaimedTransfer, "unsaved">): UnsavedWrites {
  transfer.unsaved ??= emptyUnsaved();
  return transfer.unsaved;
}

/** Adds columns of the transfer row to what is written next. */
export function stagePatch(transfer: Pick<ClaimedTransfer, "unsaved">, patch: TransferPatch): void {
  const unsaved = unsavedOf(transfer);
  unsaved.patch = { ...unsaved.patch, ...patch };
}

/** A copy of what is unsaved now, for one write (calls may keep arriving while it runs). */
export function snapshotOf(unsaved: UnsavedWrites | undefined): UnsavedWrites {
  if (!unsaved) return emptyUnsaved();
  return { ...unsaved, patch: { ...unsaved.patch }, known: [...unsaved.known], calls: [...unsaved.calls] };
}

/** After `snapshot` was written: drops it from `unsaved`, keeping what was staged meanwhile. */
export function forgetWritten(unsaved: UnsavedWrites | undefined, snapshot: UnsavedWrites): void {
  if (!unsaved) return;
  for (const key of Object.keys(snapshot.patch) as (keyof TransferPatch)[]) {
    if (unsaved.patch[key] === snapshot.patch[key]) delete unsaved.patch[key];
  }
  // Entries and calls are only ever appended: the first ones are those written.
  unsaved.known.splice(0, snapshot.known.length);
  unsaved.calls.splice(0, snapshot.calls.length);
  if (unsaved.customer === snapshot.customer) unsaved.customer = undefined;
  if (unsaved.claimDraft === snapshot.claimDraft) unsaved.claimDraft = undefined;
  if (unsaved.releaseDraft === snapshot.releaseDraft) unsaved.releaseDraft = undefined;
}
