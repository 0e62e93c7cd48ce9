import { EconomicError } from "@/lib/economic";

/**
 * "Find by number; create if missing" against e-conomic, safe to repeat: the one way the engine's
 * master-data steps (master-data-steps.ts) make sure a record exists. Knows how e-conomic answers a
 * duplicate and what an unanswered create means; knows nothing about transfers or checkpoints.
 */

function isNotFound(error: unknown): boolean {
  return error instanceof EconomicError && error.status === 404;
}

/**
 * e-conomic refusing a create because the number is taken: a 400 whose field error is on the
 * number itself (the sandbox answers `E06010 "… already exists."`; e-conomic's own code for it is
 * unconfirmed, so the field decides, and a look-up that finds nothing rethrows the refusal).
 */
export function isAlreadyExists(error: unknown, numberFields: readonly string[]): boolean {
  return (
    error instanceof EconomicError &&
    error.status === 400 &&
    error.fieldErrors.some((e) => numberFields.includes(e.path))
  );
}

export type FindOrCreate = {
  /**
   * After priming, anything missing from the cache is presumed new: create without looking first,
   * and look only when e-conomic says the number is taken (created there since priming).
   */
  presumeNew: boolean;
  /** The request fields holding the number, where e-conomic reports a duplicate. */
  numberFields: readonly string[];
};

/**
 * "Find by number; create if missing". A create refused as a duplicate (another transfer of the
 * company created it a moment ago) or left unanswered is settled by looking again.
 */
export async function findOrCreate(
  get: () => Promise<unknown>,
  create: () => Promise<unknown>,
  mode: FindOrCreate,
): Promise<void> {
  if (!mode.presumeNew) {
    try {
      await get();
      return;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  try {
    await create();
  } catch (error) {
    if (!(error instanceof EconomicError)) throw error;
    const settle = mode.presumeNew
      ? isAlreadyExists(error, mode.numberFields) || error.mayHaveCommitted
      : error.mayHaveCommitted ||
        (error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429);
    if (!settle) throw error;
    try {
      await get();
    } catch (lookupError) {
      // Not there after all: the refusal stands. The look-up failing otherwise (a fault, a
      // time-out) says nothing about the record, so that failure is the one to retry.
      if (isNotFound(lookupError) || !(lookupError instanceof EconomicError)) throw error;
      throw lookupError;
    }
  }
}
