import "server-only";
import { type EconomicClient, EconomicError, type EconomicPaymentTerms } from "@/lib/economic";
import {
  type KnownEntry,
  type KnownOwner,
  type LoadedKnown,
  stageKnownMasterData,
} from "./known-master-data";
import type { ClaimedTransfer } from "./types";

/**
 * Payment terms as the master-data cache keeps them: their type decides whether a draft needs a
 * `dueDate` (e-conomic refuses a draft on `dueDate` terms without one), their days of credit give
 * that date when Rackbeat has none. Primed in bulk with the rest of the master data
 * (prime-master-data.ts); a number the cache lacks is read once here (and cached with the attempt's
 * next write of the row).
 */
export function paymentTermsEntry(
  terms: EconomicPaymentTerms,
): Extract<KnownEntry, { kind: "paymentTerms" }> {
  return {
    kind: "paymentTerms",
    key: terms.paymentTermsNumber,
    data: { type: terms.paymentTermsType ?? "net", daysOfCredit: terms.daysOfCredit ?? 0 },
  };
}

function remember(known: LoadedKnown, entry: ReturnType<typeof paymentTermsEntry>): void {
  if (entry.data.type === "dueDate") known.dueDatePaymentTerms?.add(entry.key);
  known.paymentTermsDays?.set(entry.key, entry.data.daysOfCredit);
}

/**
 * Makes sure `known` holds the payment terms `number`, reading it from e-conomic when the cache
 * lacks it. Terms e-conomic does not have stay unknown: the draft then fails with e-conomic's own
 * "paymentTerms does not exist", which names the problem better than we could.
 */
export async function ensurePaymentTermsKnown(
  scope: {
    transfer: Pick<ClaimedTransfer, "unsaved">;
    economic: EconomicClient;
    owner: KnownOwner;
    signal?: AbortSignal;
  },
  known: LoadedKnown,
  number: number,
): Promise<void> {
  if (!Number.isSafeInteger(number) || number < 1 || known.paymentTermsDays?.has(number)) return;
  let terms: EconomicPaymentTerms;
  try {
    terms = await scope.economic.paymentTerms.get(number, { signal: scope.signal });
  } catch (error) {
    if (error instanceof EconomicError && error.status === 404) return;
    throw error;
  }
  const entry = paymentTermsEntry(terms);
  remember(known, entry);
  stageKnownMasterData(scope.transfer, scope.owner, [entry]);
}
