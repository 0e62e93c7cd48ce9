import "server-only";
import type { CallInfo } from "@/lib/economic";
import type { Mailer } from "@/lib/mail";
import {
  DEFAULT_AMBIGUOUS_SETTLE_MS,
  dropDraftClaim,
  type Run,
  saveCheckpoint,
  stageCheckpoint,
  type TransferCheckpoint,
  type TransferEngineOptions,
} from "./attempt";
import { type BookedInvoice, bookDraft } from "./booking-step";
import { stageCall } from "./call-log";
import { createDraft, draftBodyOf } from "./draft-step";
import { failed, outcomeOfError } from "./errors";
import { isAlreadyExists } from "./find-or-create";
import { doneMarksOf, missingMasterData, withoutRecords } from "./heal-master-data";
import { forgetKnownMasterData, type KnownProduct, type LoadedKnown } from "./known-master-data";
import { loadAndPlan, type PlannedTransfer } from "./load-and-plan";
import { emailPdf } from "./mail-step";
import { executeMasterDataStep } from "./master-data-steps";
import { planTransfer } from "./plan";
import type { PlanInvoice, PlanSettings, TransferPlan } from "./plan-types";
import { keepDraftWhenAmountsDiffer } from "./send-once";
import type {
  ClaimedTransfer,
  ProcessContext,
  ProcessOutcome,
  TransferPatch,
  TransferProcessor,
} from "./types";
import { stagePatch } from "./unsaved-writes";

/**
 * The transfer engine: one claimed transfer → fetch the Rackbeat invoice → plan → execute the plan's
 * steps in e-conomic, with a checkpoint on the transfer row so a retry continues where the last
 * attempt stopped.
 *
 * Few database round trips: what an attempt learns (the invoice, the plan, master data, the call
 * log, e-conomic's numbers) waits in its unsaved writes (unsaved-writes.ts) and goes with the next
 * write of the row; only the "sent" marks are written before their request, and the completion
 * (queue.ts) writes the rest — for a booked invoice: two reads (company; master-data cache), the
 * draft's "sent" mark, the booking's "sent" mark with the draft's claim, and the completion.
 *
 * Exactly once: e-conomic has no idempotency keys and the client never retries an ambiguous POST.
 * The checkpoint records "a draft create / a booking was sent" BEFORE the POST; an attempt that
 * finds that mark without a result first looks for what the lost request made (exactly-once.ts) and
 * adopts it. Master data is "find by number, create if missing", which repeats safely; once the
 * company's cache is primed (prime-master-data.ts) a record missing from it is created straight
 * away, and only a refusal as a duplicate makes us look it up.
 *
 * The flow runs one way, one module per part:
 *   claimed transfer → load-and-plan.ts (Rackbeat invoice, settings, master-data cache → plan)
 *   → master-data-steps.ts (customer group, customer, contact, product group, product)
 *   → draft-step.ts → booking-step.ts (exactly once: send-once.ts, exactly-once.ts)
 *   → mail-step.ts → completed transfer.
 * attempt.ts holds the state every step works on (`Run`, the checkpoint); this module wires them.
 */

async function execute(
  transfer: ClaimedTransfer,
  ctx: ProcessContext,
  options: TransferEngineOptions,
  onCall: (info: CallInfo) => void,
): Promise<ProcessOutcome> {
  const planned = await loadAndPlan(transfer, ctx, options, onCall);
  if (planned.kind === "skipped") return planned;
  const { plan, invoice } = planned;
  const run: Run = {
    transfer,
    ctx,
    db: ctx.db,
    economic: planned.economic,
    integration: planned.integration,
    options,
    checkpoint: { ...(transfer.checkpoint as TransferCheckpoint) },
    now: options.now ?? Date.now,
    units: new Map(invoice.lines.flatMap((l) => (l.unit ? [[l.productNumber, l.unit] as const] : []))),
    primed: planned.primed,
    owner: planned.owner,
  };
  stagePatch(transfer, { plan: plan as unknown as TransferPatch["plan"] });
  try {
    const outcome = await executeOrHeal(run, plan, planned);
    // A new draft is claimed before the attempt is done (draft-step.ts); this only makes sure.
    if (transfer.unsaved?.claimDraft) await saveCheckpoint(run);
    return outcome;
  } catch (error) {
    // A draft whose claim was not written is not ours yet: the next attempt looks for it.
    dropDraftClaim(run);
    throw error;
  }
}

async function executeOrHeal(
  run: Run,
  plan: Extract<TransferPlan, { kind: "transfer" }>,
  planned: PlannedTransfer,
): Promise<ProcessOutcome> {
  try {
    return await executeSteps(run, plan, planned);
  } catch (error) {
    return await healAndContinue(run, planned, error);
  }
}

/**
 * e-conomic lacks a record the cache said it has: forget it, plan again (which creates it) and
 * continue, once; a second refusal fails with its reason. Any other error stands.
 */
async function healAndContinue(run: Run, planned: PlannedTransfer, error: unknown): Promise<ProcessOutcome> {
  const { invoice, settings, known, owner } = planned;
  const missing = missingMasterData(error, known);
  if (missing.length === 0) throw error;
  await forgetKnownMasterData(run.db, owner, missing, run.transfer);
  withoutRecords(known, missing);
  const redo = doneMarksOf(missing);
  run.checkpoint.done = run.checkpoint.done?.filter((mark) => !redo.has(mark));
  const replanned = planTransfer(invoice, settings, known);
  if (replanned.kind === "skip") return { kind: "skipped", reason: replanned.reason };
  stageCheckpoint(run, { plan: replanned as unknown as TransferPatch["plan"] });
  return await executeSteps(run, replanned, planned);
}

/** Runs the plan's steps in order, each checkpointed. */
async function executeSteps(
  run: Run,
  plan: Extract<TransferPlan, { kind: "transfer" }>,
  input: {
    invoice: PlanInvoice;
    settings: PlanSettings;
    known: LoadedKnown;
    mailer: Mailer | null;
    sender: string | undefined;
  },
): Promise<ProcessOutcome> {
  const { invoice, known, mailer, sender } = input;
  const contacts = new Map<string, number>();
  let draftNumber: number | undefined;
  let booked: BookedInvoice | undefined;
  for (const step of plan.steps) {
    switch (step.type) {
      case "createDraft": {
        const body = draftBodyOf(step, contacts, known);
        draftNumber = await createDraft(run, plan, body, invoice);
        plan.draft = body;
        break;
      }
      case "bookDraft":
        if (draftNumber === undefined) throw new Error("bookDraft before createDraft");
        if (keepDraftWhenAmountsDiffer(run, invoice, input.settings))
          return { kind: "done", status: "draft" };
        booked = await bookDraft(run, plan, plan.draft, draftNumber, invoice, step);
        break;
      case "emailPdf":
        if (step.invalid !== undefined) {
          // The invoice stays booked; a retry after the address is corrected in Rackbeat mails it.
          throw failed({
            code: "customer_email_invalid",
            field: "contact_email",
            params: { value: step.invalid, customer: invoice.customer.number, field: "contact_email" },
          });
        }
        if (!booked || !mailer || !sender || !step.to) throw new Error("emailPdf without a booked invoice");
        await emailPdf(run, mailer, invoice, booked, step.to, sender);
        break;
      default:
        await executeMasterDataStep(run, step, contacts);
    }
  }
  return { kind: "done", status: plan.book ? "booked" : "draft" };
}

/** The engine with its options (tests shorten time-outs and pass their mailer). */
export function createTransferProcessor(options: TransferEngineOptions = {}): TransferProcessor {
  return async (transfer, ctx) => {
    try {
      return await execute(transfer, ctx, options, (call) => stageCall(transfer, call));
    } catch (error) {
      return outcomeOfError(error);
    }
  };
}

export const processTransfer: TransferProcessor = createTransferProcessor();

export type { KnownProduct };
export { DEFAULT_AMBIGUOUS_SETTLE_MS, isAlreadyExists, type TransferCheckpoint, type TransferEngineOptions };
