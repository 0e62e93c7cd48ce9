import type { TransferProcessor } from "@/lib/transfer/types";
import { syncRecord } from "./process-record";
import { parseRecordKey } from "./record-key";

/**
 * One queue, every kind: the invoice engine for invoices, `syncRecord` for a customer, customer
 * group or product group (whose key is `<kind>:<number>`, lib/sync/record-key.ts).
 */
export function withRecordSyncs(
  invoices: TransferProcessor,
  records: TransferProcessor = syncRecord,
): TransferProcessor {
  return (transfer, ctx) =>
    parseRecordKey(transfer.rackbeatInvoiceNumber) ? records(transfer, ctx) : invoices(transfer, ctx);
}
