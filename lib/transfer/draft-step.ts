import { type EconomicDraftInvoice, EconomicError } from "@/lib/economic";
import { type Run, saveCheckpoint, stageCheckpoint } from "./attempt";
import { findAdoptableDraft } from "./exactly-once";
import type { LoadedKnown } from "./known-master-data";
import {
  customerContactKey,
  type EconomicDraftBody,
  type PlanInvoice,
  type PlanStep,
  type TransferPlan,
} from "./plan-types";
import { adoptionScopeOf, amountFields, markSending, waitOutUnansweredSend } from "./send-once";
import { unsavedOf } from "./unsaved-writes";

/**
 * The draft step: after the master-data steps (master-data-steps.ts), the invoice is created as a
 * draft in e-conomic — exactly once. The "sent" mark goes on the checkpoint before the POST; an
 * attempt that finds it without a draft number first looks for the draft the lost request made and
 * adopts it (exactly-once.ts). The draft's number is what booking (booking-step.ts) books.
 */

/**
 * The draft's body as planned, with the EAN contact's number filled in: created in this attempt
 * (`contacts`) or known from the cache.
 */
export function draftBodyOf(
  step: Extract<PlanStep, { type: "createDraft" }>,
  contacts: Map<string, number>,
  known: LoadedKnown,
): EconomicDraftBody {
  const body = step.body;
  if (!step.customerContact) return body;
  const key = customerContactKey(step.customerContact.customerNumber, step.customerContact.name);
  const contactNumber = contacts.get(key) ?? known.customerContacts.get(key);
  if (contactNumber === undefined) return body;
  return {
    ...body,
    references: { ...body.references, customerContact: { customerContactNumber: contactNumber } },
  };
}

/** Creates the draft (or adopts the one an earlier attempt made) and returns its number. */
export async function createDraft(
  run: Run,
  plan: Extract<TransferPlan, { kind: "transfer" }>,
  body: EconomicDraftBody,
  invoice: PlanInvoice,
): Promise<number> {
  const existing = run.checkpoint.draft?.number;
  if (existing !== undefined) return existing;
  const scope = adoptionScopeOf(run);
  const adopt = async (draft: EconomicDraftInvoice) => {
    const amounts = amountFields(draft, invoice);
    run.checkpoint.draft = {
      number: draft.draftInvoiceNumber,
      ...(amounts.amountMismatch && amounts.economicNetAmount
        ? {
            differs: {
              net: amounts.economicNetAmount,
              ...(amounts.economicVatAmount ? { vat: amounts.economicVatAmount } : {}),
              ...(amounts.economicGrossAmount ? { gross: amounts.economicGrossAmount } : {}),
            },
          }
        : {}),
    };
    // Durable with the booking's "sent" mark (or the completion): until then a retry adopts it again.
    stageCheckpoint(run, { economicDraftNumber: draft.draftInvoiceNumber, ...amounts });
    return draft.draftInvoiceNumber;
  };

  if (run.checkpoint.draft?.sentAt) {
    const found = await findAdoptableDraft(scope, body, plan.expectedNetAmount);
    if (found) return adopt(found);
    waitOutUnansweredSend(run, "draft");
  }
  await markSending(run, "draft");
  let draft: EconomicDraftInvoice;
  try {
    draft = await run.economic.draftInvoices.create(body, { signal: run.ctx.signal });
  } catch (error) {
    if (error instanceof EconomicError && error.mayHaveCommitted) {
      const found = await findAdoptableDraft(scope, body, plan.expectedNetAmount).catch(() => undefined);
      if (found) return adopt(found);
    } else if (error instanceof EconomicError && !error.mayHaveCommitted) {
      // Nothing was created: the next attempt need not look for it.
      run.checkpoint.draft = {};
      stageCheckpoint(run);
    }
    throw error;
  }
  // Ours unless another transfer adopted it a moment ago: the claim goes with the next write of the
  // row, which writes nothing when the claim is refused (attempt.ts `saveCheckpoint`: retry later).
  unsavedOf(run.transfer).claimDraft = {
    agreement: run.owner.agreement,
    draftNumber: draft.draftInvoiceNumber,
    sentAt: run.checkpoint.draft?.sentAt,
  };
  const number = await adopt(draft);
  // A draft to be booked at once is claimed with the booking's "sent" mark (booking-step.ts); any
  // other is claimed now.
  const booking = run.checkpoint.booking;
  const bookingNext =
    plan.book &&
    !run.checkpoint.draft?.differs &&
    booking?.sentAt === undefined &&
    booking?.number === undefined;
  if (!bookingNext) await saveCheckpoint(run);
  return number;
}
