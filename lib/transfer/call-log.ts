import "server-only";
import type { Db } from "@/db/client";
import { economicCalls } from "@/db/schema";
import type { CallInfo } from "@/lib/economic";
import type { ClaimedTransfer } from "./types";
import { type CallRow, unsavedOf } from "./unsaved-writes";

/**
 * The transfer engine's call log: each completed call is added to the attempt's unsaved writes
 * (unsaved-writes.ts), which go with the next write of the transfer row — the "sent" mark before a
 * draft or booking, or the completion — so the log costs no statement of its own. A process killed
 * mid-attempt so loses the calls made since the last write of the row.
 */
export function stageCall(
  transfer: Pick<ClaimedTransfer, "id" | "attempt" | "unsaved">,
  call: CallInfo,
): void {
  unsavedOf(transfer).calls.push(callRowOf(transfer, call));
}

/**
 * A master-data sync's e-conomic call log (`economic_calls`, lib/sync), written as the calls complete: each answer
 * is queued and written at once, the calls that complete while a write is under way go in the next
 * one. A process killed mid-attempt so loses at most the calls whose write had not committed (the
 * one in flight), not the attempt's whole log.
 */
export interface CallLog {
  /** Queues a completed call; never throws and never waits. */
  record(call: CallInfo): void;
  /** Resolves once every queued call is written (or its write failed and was logged). */
  flush(): Promise<void>;
}

export function callRowOf(transfer: Pick<ClaimedTransfer, "id" | "attempt">, call: CallInfo): CallRow {
  // Paths hold numbers only (customer, product, invoice); the query string, which could hold a
  // filter on personal data, is never stored, nor are tokens.
  return {
    transferId: transfer.id,
    attempt: transfer.attempt,
    method: call.method,
    path: call.api === "rest" ? call.path : `${call.api}:${call.path}`,
    status: call.status ?? null,
    durationMs: Math.round(call.durationMs),
    error: call.error ? `${call.error.kind}${call.error.errorCode ? ` ${call.error.errorCode}` : ""}` : null,
  };
}

export function createCallLog(
  db: Db,
  transfer: Pick<ClaimedTransfer, "id" | "attempt">,
  logger: Pick<Console, "error"> = console,
): CallLog {
  let pending: CallInfo[] = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;

  const writeBatch = async () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      await db.insert(economicCalls).values(batch.map((call) => callRowOf(transfer, call)));
    } catch (error) {
      logger.error("could not record e-conomic calls", error);
    }
  };

  return {
    record(call) {
      pending.push(call);
      if (scheduled) return;
      scheduled = true;
      // Chained: writes stay in call order, and calls arriving meanwhile share the next insert.
      writing = writing.then(writeBatch);
    },
    async flush() {
      await writing;
      if (pending.length > 0) {
        writing = writing.then(writeBatch);
        await writing;
      }
    },
  };
}
