import { compareAmounts } from "@/lib/money/compare-amounts";
import { DEFAULT_AMBIGUOUS_SETTLE_MS, decimalOf, type Run, saveCheckpoint } from "./attempt";
import { failed, retryLater } from "./errors";
import type { AdoptionScope } from "./exactly-once";
import type { PlanInvoice, PlanSettings } from "./plan-types";
import type { TransferPatch } from "./types";

/**
 * What the two steps that must happen exactly once in e-conomic — creating the draft (draft-step.ts)
 * and booking it (booking-step.ts) — share: the "sent" mark written before the request, the wait
 * before sending again after an unanswered one, the scope in which a lost result is looked for
 * (exactly-once.ts), and e-conomic's amounts compared with Rackbeat's.
 */

/** e-conomic's amounts on a draft or booked invoice. */
export type EconomicAmounts = { netAmount?: number; vatAmount?: number; grossAmount?: number };

/**
 * e-conomic's net, VAT and gross next to Rackbeat's: any of them off by an øre is flagged
 * (`compareAmounts`), whatever the plan predicted.
 */
export function amountFields(economic: EconomicAmounts, invoice: PlanInvoice): TransferPatch {
  const net = decimalOf(economic.netAmount);
  if (net === undefined) return {};
  const vat = decimalOf(economic.vatAmount);
  const gross = decimalOf(economic.grossAmount);
  const check = compareAmounts(
    { net: invoice.subtotal, ...(invoice.total === undefined ? {} : { gross: invoice.total }) },
    { net, ...(vat === undefined ? {} : { vat }), ...(gross === undefined ? {} : { gross }) },
  );
  return {
    economicNetAmount: net,
    economicVatAmount: vat ?? null,
    economicGrossAmount: gross ?? null,
    amountMismatch: check.differs,
  };
}

export type SendStep = "draft" | "booking";

/**
 * An earlier attempt sent this step, got no answer, and its result is not found in e-conomic (yet):
 * sending again now could create a second invoice while e-conomic is still committing the first, so
 * retry once the settle window since that send has passed.
 */
export function waitOutUnansweredSend(run: Run, step: SendStep): void {
  const sentAt = run.checkpoint[step]?.sentAt;
  if (!sentAt) return;
  const settle = run.options.ambiguousSettleMs ?? DEFAULT_AMBIGUOUS_SETTLE_MS;
  const wait = Math.max(0, Date.parse(sentAt) + settle - run.now());
  if (wait > 0) {
    throw retryLater(
      { code: "economic_unavailable", params: { detail: step }, detail: `waiting for an unanswered ${step}` },
      wait,
    );
  }
}

/** Written before the request, so a retry knows to look for the result before sending again. */
export async function markSending(run: Run, step: SendStep): Promise<void> {
  run.checkpoint[step] = { sentAt: new Date(run.now()).toISOString() };
  await saveCheckpoint(run);
}

/** Where the traces of an earlier attempt's lost request are looked for, and drafts are claimed. */
export function adoptionScopeOf(run: Run): AdoptionScope {
  return {
    client: run.economic,
    db: run.db,
    companyId: run.transfer.companyId,
    agreement: run.owner.agreement,
    transferId: run.transfer.id,
    signal: run.ctx.signal,
  };
}

/**
 * The plan predicted e-conomic's amounts to match Rackbeat's, yet the draft e-conomic computed does
 * not (a revenue account whose VAT code the prediction could not know, say): money that is off is
 * never booked. The transfer fails naming both figures and the draft left behind, or, with
 * "Overfør alligevel som kladde", ends as that draft. True when it should end as the draft.
 */
export function keepDraftWhenAmountsDiffer(run: Run, invoice: PlanInvoice, settings: PlanSettings): boolean {
  const differs = run.checkpoint.draft?.differs;
  const booking = run.checkpoint.booking;
  if (!differs || booking?.sentAt !== undefined || booking?.number !== undefined) return false;
  if (settings.transferMismatchAsDraft) return true;
  throw failed({
    code: "draft_amounts_mismatch",
    params: {
      draft: run.checkpoint.draft?.number ?? "",
      rackbeatNet: invoice.subtotal,
      rackbeatGross: invoice.total ?? "",
      economicNet: differs.net,
      economicGross: differs.gross ?? "",
      currency: invoice.currency,
    },
    detail: `draft ${run.checkpoint.draft?.number}: e-conomic net ${differs.net}, gross ${differs.gross}`,
  });
}
