import { withRecordSyncs } from "@/lib/sync/dispatch";
import { processTransfer } from "./run";
import type { TransferProcessor } from "./types";

/**
 * The processor the workers run (in the Next server and `npm run worker`): the one place that
 * chooses it. The transfer engine for invoices; master-data syncs (a customer, customer group or
 * product group, lib/sync) branch off by their record key.
 */
export const defaultProcessor: TransferProcessor = withRecordSyncs(processTransfer);
