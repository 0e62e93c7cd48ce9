import "server-only";
import { and, eq, inArray, ne } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { economicDraftClaims, transfers } from "@/db/schema";
import {
  type EconomicBookedInvoice,
  type EconomicClient,
  type EconomicDraftInvoice,
  EconomicError,
  economicFilter,
} from "@/lib/economic";
import { equals, parseDecimal } from "@/lib/money/decimal";
import type { EconomicDraftBody } from "./plan-types";
import { draftClaimInsert } from "./unsaved-sql";

/**
 * e-conomic has no idempotency keys, and the client never retries an ambiguous POST. After a
 * create or a booking that may have committed without us hearing back, these functions find the
 * invoice it made, so the retry adopts it instead of making a second one.
 *
 * "Ours" means the same customer, date, net amount and lines (product, quantity, unit price) as the
 * draft we sent, and not already adopted by another transfer of the same company. A draft is owned
 * through a claim (`economic_draft_claims`, unique per company, agreement and draft number), so of
 * two identical invoices that both lost their answer, each adopts a different draft.
 */

type Invoice = EconomicDraftInvoice | EconomicBookedInvoice;

export interface AdoptionScope {
  client: EconomicClient;
  db: Db;
  companyId: string;
  /** The e-conomic agreement (`agreementKeyOf`): draft numbers are per agreement. */
  agreement: string;
  transferId: string;
  signal?: AbortSignal;
}

/**
 * Claims a draft for the transfer; true when the transfer holds it afterwards. `fresh`: e-conomic
 * has just created the draft in answer to this transfer's own POST, so an old claim on the number
 * is stale and is taken over.
 */
export async function claimDraft(
  scope: Pick<AdoptionScope, "db" | "companyId" | "agreement" | "transferId">,
  draftNumber: number,
  options: { fresh: boolean },
): Promise<boolean> {
  const rows = rowsOf<{ transfer_id: string }>(
    await scope.db.execute(
      draftClaimInsert(scope, { agreement: scope.agreement, draftNumber }, { fresh: options.fresh }),
    ),
  );
  return rows.length === 1;
}

/** Gives a draft's number back once the draft is gone (booked, or deleted in e-conomic). */
export async function releaseDraftClaim(
  scope: Pick<AdoptionScope, "db" | "companyId" | "agreement" | "transferId">,
  draftNumber: number,
): Promise<void> {
  await scope.db
    .delete(economicDraftClaims)
    .where(
      and(
        eq(economicDraftClaims.companyId, scope.companyId),
        eq(economicDraftClaims.agreement, scope.agreement),
        eq(economicDraftClaims.draftNumber, draftNumber),
        eq(economicDraftClaims.transferId, scope.transferId),
      ),
    );
}

function sameNumber(a: number | undefined, b: number | string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return equals(parseDecimal(a), parseDecimal(b));
}

/** Whether an invoice e-conomic holds is the one our draft body describes. */
export function matchesDraft(invoice: Invoice, body: EconomicDraftBody, expectedNetAmount: string): boolean {
  if (invoice.customer.customerNumber !== body.customer.customerNumber) return false;
  if (invoice.date !== body.date) return false;
  if (invoice.currency !== body.currency) return false;
  if (!sameNumber(invoice.netAmount, expectedNetAmount)) return false;
  const other = body.references?.other;
  if (other !== undefined && invoice.references?.other !== other) return false;
  const lines = invoice.lines;
  if (lines === undefined) return true;
  if (lines.length !== body.lines.length) return false;
  const byNumber = [...lines].sort((a, b) => (a.lineNumber ?? 0) - (b.lineNumber ?? 0));
  return body.lines.every((line, i) => {
    const theirs = byNumber[i];
    return (
      theirs !== undefined &&
      theirs.product?.productNumber === line.product.productNumber &&
      sameNumber(theirs.quantity, line.quantity) &&
      sameNumber(theirs.unitNetPrice, line.unitNetPrice)
    );
  });
}

async function numbersTakenByOthers(
  scope: AdoptionScope,
  column: "economicDraftNumber" | "economicBookedNumber",
  numbers: number[],
): Promise<Set<number>> {
  if (numbers.length === 0) return new Set();
  const rows = await scope.db
    .select({ n: transfers[column] })
    .from(transfers)
    .where(
      and(
        eq(transfers.companyId, scope.companyId),
        ne(transfers.id, scope.transferId),
        inArray(transfers[column], numbers),
      ),
    );
  return new Set(rows.map((r) => r.n).filter((n): n is number => n !== null));
}

/** A draft our earlier, unanswered POST may have created: the lowest-numbered match we can claim. */
export async function findAdoptableDraft(
  scope: AdoptionScope,
  body: EconomicDraftBody,
  expectedNetAmount: string,
): Promise<EconomicDraftInvoice | undefined> {
  const filter = economicFilter.and(
    economicFilter.eq("customer.customerNumber", body.customer.customerNumber),
    economicFilter.eq("date", body.date),
  );
  const candidates = (
    await scope.client.draftInvoices.all({ filter, pageSize: 100 }, { signal: scope.signal })
  ).filter((draft) => matchesDraft(draft, body, expectedNetAmount));
  if (candidates.length === 0) return undefined;
  const taken = await numbersTakenByOthers(
    scope,
    "economicDraftNumber",
    candidates.map((d) => d.draftInvoiceNumber),
  );
  const free = candidates
    .filter((d) => !taken.has(d.draftInvoiceNumber))
    .sort((a, b) => a.draftInvoiceNumber - b.draftInvoiceNumber);
  for (const draft of free) {
    if (await claimDraft(scope, draft.draftInvoiceNumber, { fresh: false })) return draft;
  }
  return undefined;
}

async function draftExists(scope: AdoptionScope, draftNumber: number): Promise<boolean> {
  try {
    await scope.client.draftInvoices.get(draftNumber, { signal: scope.signal });
    return true;
  } catch (error) {
    if (error instanceof EconomicError && error.status === 404) return false;
    throw error;
  }
}

export type BookedLookup =
  | { kind: "ours"; invoice: EconomicBookedInvoice }
  /** The number is used by an invoice that is not this transfer's. */
  | { kind: "taken"; invoice: EconomicBookedInvoice }
  | { kind: "none" };

/**
 * Did our draft get booked by an earlier attempt? With `bookWithNumber` the booked invoice of that
 * number is checked; without it, booked invoices of the customer and date are searched. Either way
 * our draft must be gone: booking deletes the draft, so a draft still there was not booked.
 */
export async function findBookedInvoice(
  scope: AdoptionScope,
  input: {
    draftNumber: number;
    bookWithNumber?: number;
    body: EconomicDraftBody;
    expectedNetAmount: string;
  },
): Promise<BookedLookup> {
  if (input.bookWithNumber !== undefined) {
    let invoice: EconomicBookedInvoice;
    try {
      invoice = await scope.client.bookedInvoices.get(input.bookWithNumber, { signal: scope.signal });
    } catch (error) {
      if (error instanceof EconomicError && error.status === 404) return { kind: "none" };
      throw error;
    }
    const matches = matchesDraft(invoice, input.body, input.expectedNetAmount);
    if (!matches) return { kind: "taken", invoice };
    const taken = await numbersTakenByOthers(scope, "economicBookedNumber", [invoice.bookedInvoiceNumber]);
    if (taken.size > 0) return { kind: "taken", invoice };
    if (await draftExists(scope, input.draftNumber)) return { kind: "taken", invoice };
    return { kind: "ours", invoice };
  }
  const filter = economicFilter.and(
    economicFilter.eq("customer.customerNumber", input.body.customer.customerNumber),
    economicFilter.eq("date", input.body.date),
  );
  const candidates = (
    await scope.client.bookedInvoices.all({ filter, pageSize: 100 }, { signal: scope.signal })
  ).filter((invoice) => matchesDraft(invoice, input.body, input.expectedNetAmount));
  if (candidates.length === 0) return { kind: "none" };
  const taken = await numbersTakenByOthers(
    scope,
    "economicBookedNumber",
    candidates.map((c) => c.bookedInvoiceNumber),
  );
  const free = candidates.filter((c) => !taken.has(c.bookedInvoiceNumber));
  if (free.length === 0) return { kind: "none" };
  if (await draftExists(scope, input.draftNumber)) return { kind: "none" };
  return { kind: "ours", invoice: free.sort((a, b) => a.bookedInvoiceNumber - b.bookedInvoiceNumber)[0]! };
}
