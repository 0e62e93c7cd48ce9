import { type EconomicBookedInvoice, EconomicError } from "@/lib/economic";
import { decimalOf, type Run, stageCheckpoint } from "./attempt";
import { failed } from "./errors";
import { type AdoptionScope, findBookedInvoice } from "./exactly-once";
import type { EconomicDraftBody, PlanInvoice, PlanStep, TransferPlan } from "./plan-types";
import { adoptionScopeOf, amountFields, markSending, waitOutUnansweredSend } from "./send-once";
import { unsavedOf } from "./unsaved-writes";

/**
 * The booking step: the draft made by draft-step.ts is booked in e-conomic — exactly once, the same
 * way as the draft: "sent" is marked before the POST, and an attempt finding that mark first looks
 * for the booked invoice (exactly-once.ts). A booking number taken by another invoice, or a draft
 * deleted in e-conomic meanwhile, fails with the reason. The booked number is what the mail step
 * (mail-step.ts) sends.
 */

/** The booked invoice: its number, and e-conomic's amounts for the mail. */
export type BookedInvoice = { number: number; grossAmount?: number; netAmount?: number };

/** Everything one booking works with, so its parts read alone. */
type Booking = {
  run: Run;
  plan: Extract<TransferPlan, { kind: "transfer" }>;
  step: Extract<PlanStep, { type: "bookDraft" }>;
  draftNumber: number;
  /** Rackbeat's invoice, whose amounts e-conomic's are compared with. */
  invoice: PlanInvoice;
  scope: AdoptionScope;
  lookup: Parameters<typeof findBookedInvoice>[1];
};

/** Books the draft (or adopts what an earlier attempt booked). */
export async function bookDraft(
  run: Run,
  plan: Extract<TransferPlan, { kind: "transfer" }>,
  body: EconomicDraftBody,
  draftNumber: number,
  rackbeatInvoice: PlanInvoice,
  step: Extract<PlanStep, { type: "bookDraft" }>,
): Promise<BookedInvoice> {
  const existing = run.checkpoint.booking?.number;
  if (existing !== undefined) return { number: existing };
  const booking: Booking = {
    run,
    plan,
    step,
    draftNumber,
    invoice: rackbeatInvoice,
    scope: adoptionScopeOf(run),
    lookup: {
      draftNumber,
      bookWithNumber: step.bookWithNumber,
      body,
      expectedNetAmount: plan.expectedNetAmount,
    },
  };

  if (run.checkpoint.booking?.sentAt) {
    const found = await findBookedInvoice(booking.scope, booking.lookup);
    if (found.kind === "ours") return adoptBooked(booking, found.invoice);
    if (found.kind === "taken") throw numberTaken(booking, found.invoice.bookedInvoiceNumber, found.invoice);
    waitOutUnansweredSend(run, "booking");
  }
  await markSending(run, "booking");
  try {
    const booked = await run.economic.bookedInvoices.book(
      {
        draftInvoiceNumber: draftNumber,
        ...(step.bookWithNumber === undefined ? {} : { bookWithNumber: step.bookWithNumber }),
        ...(step.sendBy ? { sendBy: step.sendBy } : {}),
      },
      { signal: run.ctx.signal },
    );
    return adoptBooked(booking, booked);
  } catch (error) {
    return settleRefusedBooking(booking, error);
  }
}

/** Records the booked invoice on the transfer and frees the draft number (booking deleted the draft). */
async function adoptBooked(
  { run, plan, draftNumber, invoice: rackbeatInvoice, scope }: Booking,
  invoice: { bookedInvoiceNumber: number; netAmount?: number; vatAmount?: number; grossAmount?: number },
): Promise<BookedInvoice> {
  run.checkpoint.booking = { number: invoice.bookedInvoiceNumber };
  // Written with the completion: an attempt dying before it finds the booking by its "sent" mark.
  stageCheckpoint(run, {
    economicBookedNumber: invoice.bookedInvoiceNumber,
    sentBy: plan.sendBy === "ean" ? "ean" : "none",
    ...amountFields(invoice, rackbeatInvoice),
  });
  // Booking deleted the draft: its number may be issued again.
  unsavedOf(run.transfer).releaseDraft = { agreement: scope.agreement, draftNumber };
  return {
    number: invoice.bookedInvoiceNumber,
    grossAmount: invoice.grossAmount,
    netAmount: invoice.netAmount,
  };
}

/**
 * The booking request failed: adopt the booked invoice if it exists after all, explain a refusal,
 * or clear the "sent" mark when nothing can have been booked; then fail with the reason.
 */
async function settleRefusedBooking(booking: Booking, error: unknown): Promise<BookedInvoice> {
  const { run, step, draftNumber, scope, lookup } = booking;
  if (!(error instanceof EconomicError)) throw error;
  if (error.status === 400 && hasFieldError(error, "bookWithNumber")) {
    const found = await findBookedInvoice(scope, lookup);
    if (found.kind === "ours") return adoptBooked(booking, found.invoice);
    throw numberTaken(booking, step.bookWithNumber ?? 0, found.kind === "taken" ? found.invoice : undefined);
  }
  if (error.status === 400 && hasFieldError(error, "draftInvoice")) {
    const found = await findBookedInvoice(scope, lookup);
    if (found.kind === "ours") return adoptBooked(booking, found.invoice);
    // Deleted or booked by hand in e-conomic: a manual retry starts with a new draft.
    run.checkpoint.draft = {};
    run.checkpoint.booking = {};
    stageCheckpoint(run, { economicDraftNumber: null });
    unsavedOf(run.transfer).releaseDraft = { agreement: scope.agreement, draftNumber };
    throw failed({ code: "draft_missing", params: { number: draftNumber } });
  }
  if (error.mayHaveCommitted) {
    const found = await findBookedInvoice(scope, lookup).catch(() => ({ kind: "none" as const }));
    if (found.kind === "ours") return adoptBooked(booking, found.invoice);
  } else {
    run.checkpoint.booking = {};
    stageCheckpoint(run);
  }
  throw error;
}

function hasFieldError(error: EconomicError, path: string): boolean {
  return error.fieldErrors.some((e) => e.path === path || e.path.startsWith(`${path}.`));
}

function numberTaken(booking: Booking, number: number, holder?: EconomicBookedInvoice) {
  return failed({
    code: "book_number_taken",
    field: "bookWithNumber",
    params: takenParams(number, booking.draftNumber, holder),
  });
}

/**
 * What the "number taken" failure tells the user: which booked invoice holds the number (customer,
 * date, amount) and which of our drafts is left behind unbooked (linked from the transfer).
 */
function takenParams(
  number: number,
  draft: number,
  holder?: EconomicBookedInvoice,
): Record<string, string | number> {
  if (!holder) return { number, draft, holder: "?", holderAmount: "", currency: "" };
  const customer = holder.customer?.customerNumber;
  const name = holder.recipient?.name;
  const who = customer === undefined ? name : `${customer}${name ? ` ${name}` : ""}`;
  return {
    number,
    draft,
    holder: [who, holder.date].filter(Boolean).join(", "),
    holderAmount: decimalOf(holder.grossAmount) ?? "",
    currency: holder.currency,
  };
}
