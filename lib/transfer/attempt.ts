import type { Db } from "@/db/client";
import type { CompanyIntegration } from "@/db/schema";
import type { EconomicClient } from "@/lib/economic";
import type { RetryPolicy } from "@/lib/http/retry";
import type { Mailer } from "@/lib/mail";
import { parseDecimal, toFixedString } from "@/lib/money/decimal";
import { retryLater } from "./errors";
import type { KnownOwner } from "./known-master-data";
import {
  type ClaimedTransfer,
  DraftClaimRefusedError,
  type ProcessContext,
  type TransferPatch,
} from "./types";
import { stagePatch } from "./unsaved-writes";

/**
 * One attempt at one transfer, as every step of the engine sees it (run.ts builds it after planning):
 * the clients, the company's integration, and the checkpoint — what earlier attempts committed in
 * e-conomic — with the helpers that read and save it. The steps (master-data-steps.ts, draft-step.ts,
 * booking-step.ts, mail-step.ts) take a `Run` and move its checkpoint forward; nothing here talks to
 * e-conomic.
 */

export interface TransferEngineOptions {
  /** Mail for "Bogfør og send": default SMTP_URL, or the outbox in sandbox mode. */
  mailer?: Mailer | null;
  economic?: { timeoutMs?: number; retry?: Partial<RetryPolicy> };
  rackbeat?: { timeoutMs?: number; retry?: Partial<RetryPolicy> };
  /**
   * How long after an unanswered draft create or booking we keep waiting for it to show up before
   * assuming it never happened and sending again. Must exceed the longest time e-conomic may still
   * commit a request we gave up on (our time-out plus its own processing).
   */
  ambiguousSettleMs?: number;
  now?: () => number;
}

export const DEFAULT_AMBIGUOUS_SETTLE_MS = 45_000;

/** What earlier attempts committed in e-conomic; kept on the transfer row as jsonb. */
export type TransferCheckpoint = {
  /** Master-data steps done, e.g. "customer:101", "product:KAF-100". */
  done?: string[];
  /** `sentAt` is written before the POST; `number` right after the answer. */
  draft?: {
    sentAt?: string;
    number?: number;
    /** e-conomic's amounts on the draft when they differ from Rackbeat's: booking is then refused. */
    differs?: { net: string; vat?: string; gross?: string };
  };
  booking?: { sentAt?: string; number?: number };
  mail?: { sent: true; messageId?: string };
};

export type Run = {
  transfer: ClaimedTransfer;
  ctx: ProcessContext;
  db: Db;
  economic: EconomicClient;
  integration: CompanyIntegration;
  options: TransferEngineOptions;
  checkpoint: TransferCheckpoint;
  now: () => number;
  /** Units of the invoice's items, cached with a product so its quantity note keeps its unit. */
  units: Map<string, string>;
  /** The company's cache was primed: master data it lacks is created without a look-up first. */
  primed: boolean;
  /** The company and e-conomic agreement the master-data cache is about. */
  owner: KnownOwner;
};

/** An amount from e-conomic as our decimal string with two decimals. */
export function decimalOf(value: number | undefined): string | undefined {
  return value === undefined ? undefined : toFixedString(parseDecimal(value), 2);
}

/**
 * Adds the checkpoint (and `patch`) to the attempt's unsaved writes (unsaved-writes.ts): written with
 * the next write of the row. For what repeats safely if the attempt dies first (master data, e-conomic's
 * numbers once the "sent" mark is durable, since adoption finds them again).
 */
export function stageCheckpoint(run: Run, patch: TransferPatch = {}): void {
  stagePatch(run.transfer, { ...patch, checkpoint: structuredClone(run.checkpoint) });
}

/**
 * Writes the checkpoint (and `patch`) to the transfer row now, with everything unsaved, in one
 * statement fenced by the lease: the exactly-once "sent" marks (send-once.ts), which must be durable
 * before their request. A draft claim among the unsaved writes that another transfer holds writes
 * nothing: the attempt lets the draft go and is retried (the next attempt looks for ours or sends again).
 */
export async function saveCheckpoint(run: Run, patch: TransferPatch = {}): Promise<void> {
  try {
    await run.ctx.update({ ...patch, checkpoint: structuredClone(run.checkpoint) });
  } catch (error) {
    if (!(error instanceof DraftClaimRefusedError)) throw error;
    dropDraftClaim(run);
    // Another transfer adopted the draft a moment ago.
    throw retryLater({ code: "economic_unavailable", params: { detail: "draft" }, detail: "draft claimed" });
  }
}

/** The columns a draft's answer sets, written only with its claim. */
const DRAFT_COLUMNS = [
  "economicDraftNumber",
  "economicNetAmount",
  "economicVatAmount",
  "economicGrossAmount",
  "amountMismatch",
] as const;

/**
 * Forgets a draft whose claim was not written (refused, or the write failed): the checkpoint goes
 * back to "draft sent", which was durable, so the next attempt looks for the draft before sending.
 */
export function dropDraftClaim(run: Run): void {
  const unsaved = run.transfer.unsaved;
  const claim = unsaved?.claimDraft;
  if (!unsaved || !claim) return;
  unsaved.claimDraft = undefined;
  for (const column of DRAFT_COLUMNS) delete unsaved.patch[column];
  run.checkpoint.draft = claim.sentAt ? { sentAt: claim.sentAt } : {};
  delete run.checkpoint.booking;
  stageCheckpoint(run);
}

/** Marks a master-data step done; false when it was already. */
export function markDone(run: Run, key: string): boolean {
  const done = run.checkpoint.done ?? [];
  if (done.includes(key)) return false;
  run.checkpoint.done = [...done, key];
  return true;
}

export function isDone(run: Run, key: string): boolean {
  return run.checkpoint.done?.includes(key) ?? false;
}
