import { processTransfer } from "./run";
import type { TransferProcessor } from "./types";

/**
 * The processor the workers run (in the Next server and `npm run worker`): the one place that
 * chooses it. The transfer engine; `fetchInvoiceProcessor` (fetch-invoice.ts) is the interim one
 * that only fetches and records the Rackbeat invoice.
 */
export const defaultProcessor: TransferProcessor = processTransfer;
