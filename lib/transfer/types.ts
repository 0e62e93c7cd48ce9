import type { Db } from "@/db/client";
import type { Transfer } from "@/db/schema";
import type { ExternalUrls } from "@/lib/env";
import type { UnsavedWrites } from "./unsaved-writes";

/**
 * The contract between the durable queue (queue.ts, worker.ts) and the transfer engine (run.ts).
 * The queue owns status, attempts, scheduling and the lease; the engine owns what happens in
 * e-conomic and writes its progress through `ProcessContext.update`, which is fenced by the lease.
 */

/** Why a transfer failed or was skipped; rendered in the reader's language (lib/transfer/errors.ts). */
export interface TransferError {
  /** A stable code, e.g. "economic_validation", "rackbeat_not_found", "book_number_taken". */
  code: string;
  params?: Record<string, string | number>;
  /** 1-based Rackbeat invoice line the error is about. */
  line?: number;
  /** The field on that line or invoice, e.g. "unitNetPrice". */
  field?: string;
  /** Technical detail for the review page (never tokens or personal data). */
  detail?: string;
}

export interface ClaimedTransfer {
  id: string;
  companyId: string;
  rackbeatInvoiceNumber: string;
  /** This attempt's number, 1-based. */
  attempt: number;
  /** What earlier attempts committed (see run.ts), so this one continues where they stopped. */
  checkpoint: Record<string, unknown>;
  /**
   * Attempts since the last manual retry, this one included (the claim returns it, so completion
   * need not read it). Absent on transfers built by hand: completion then reads it from the row.
   */
  attemptsSinceRetry?: number;
  /**
   * What this attempt learnt but has not written yet (unsaved-writes.ts): it goes with the next
   * fenced write of the row (`ProcessContext.update`), and whatever is left with the completion.
   */
  unsaved?: UnsavedWrites;
}

/** Columns the engine may write while it holds the lease. */
export type TransferPatch = Partial<
  Pick<
    Transfer,
    | "invoice"
    | "plan"
    | "checkpoint"
    | "economicDraftNumber"
    | "economicBookedNumber"
    | "sentBy"
    | "orderNumber"
    | "customerNumber"
    | "customerName"
    | "invoiceDate"
    | "currency"
    | "netAmount"
    | "vatAmount"
    | "grossAmount"
    | "economicNetAmount"
    | "economicVatAmount"
    | "economicGrossAmount"
    | "amountMismatch"
  >
>;

export class LeaseLostError extends Error {
  constructor(transferId: string) {
    super(`lease on transfer ${transferId} was lost`);
    this.name = "LeaseLostError";
  }
}

/** The draft an unsaved write claims is another transfer's (exactly-once.ts): nothing was written. */
export class DraftClaimRefusedError extends Error {
  constructor(draftNumber: number) {
    super(`draft ${draftNumber} is claimed by another transfer`);
    this.name = "DraftClaimRefusedError";
  }
}

export interface ProcessContext {
  db: Db;
  workerId: string;
  signal: AbortSignal;
  /**
   * Writes these columns of the transfer row — with the transfer's unsaved writes, in the same
   * statement — only while this worker still holds the lease, and extends the lease. Throws
   * LeaseLostError when another worker has taken the transfer over, and DraftClaimRefusedError when
   * the unsaved writes claim a draft another transfer holds (then nothing is written).
   */
  update(patch: TransferPatch): Promise<void>;
  /** Base URLs of e-conomic and Rackbeat (tests point them at their own server). */
  urls?: ExternalUrls;
  fetch?: typeof fetch;
}

export type ProcessOutcome =
  | { kind: "done"; status: "draft" | "booked" }
  | { kind: "skipped"; reason: string }
  /** Transient: the queue schedules another attempt with back-off (or gives up at the limit). */
  | { kind: "retry"; error: TransferError; retryAfterMs?: number }
  /** Permanent: no retry; an admin can retry by hand. */
  | { kind: "failed"; error: TransferError };

export type TransferProcessor = (transfer: ClaimedTransfer, ctx: ProcessContext) => Promise<ProcessOutcome>;
