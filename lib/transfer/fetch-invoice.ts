import { loadIntegration, rackbeatClientFor } from "@/lib/integrations/clients";
import { subtract, toFixedString, tryParseDecimal } from "@/lib/money/decimal";
import { invoiceDateOf, type RackbeatCustomerInvoice, RackbeatError } from "@/lib/rackbeat";
import { classifyRackbeatError } from "./errors";
import type { ClaimedTransfer, ProcessContext, TransferPatch, TransferProcessor } from "./types";
import { stagePatch, unsavedOf } from "./unsaved-writes";

/** Why the interim processor stops after recording the invoice (until the transfer engine runs). */
export const ENGINE_PENDING_REASON = "engine_pending";

/** Rackbeat's net, VAT (total − subtotal: the field every invoice has) and gross, to the øre. */
function rackbeatAmounts(invoice: RackbeatCustomerInvoice): TransferPatch {
  const net = tryParseDecimal(invoice.total_subtotal);
  const gross = tryParseDecimal(invoice.total_total);
  if (!net || !gross) return { netAmount: invoice.total_subtotal };
  return {
    netAmount: toFixedString(net, 2),
    vatAmount: toFixedString(subtract(gross, net), 2),
    grossAmount: toFixedString(gross, 2),
  };
}

/** The review page's columns of a fetched Rackbeat invoice. */
export function invoiceColumns(invoice: RackbeatCustomerInvoice): TransferPatch {
  const date = invoiceDateOf(invoice) ?? null;
  const customerNumber = invoice.customer_id ?? invoice.customer?.number;
  return {
    invoice,
    orderNumber: invoice.order?.number ?? null,
    customerNumber: customerNumber === null || customerNumber === undefined ? null : String(customerNumber),
    customerName: invoice.customer?.company_name ?? invoice.customer?.name ?? invoice.address_name ?? null,
    invoiceDate: date,
    currency: invoice.currency ?? invoice.customer?.currency ?? null,
    ...rackbeatAmounts(invoice),
  };
}

/**
 * Adds a fetched invoice to the attempt's unsaved writes (unsaved-writes.ts): its columns, and its
 * customer for the review page's search by name. Both go with the next write of the row, in one
 * statement, so a transfer never carries a customer the search cannot find.
 */
export function stageInvoice(
  transfer: Pick<ClaimedTransfer, "unsaved">,
  invoice: RackbeatCustomerInvoice,
): void {
  const columns = invoiceColumns(invoice);
  stagePatch(transfer, columns);
  const customerNumber = columns.customerNumber;
  const customerName = columns.customerName?.trim();
  // As recordTransferCustomer (lib/review/customers.ts): only a number with a name is searchable.
  if (customerNumber && customerName) unsavedOf(transfer).customer = { customerNumber, customerName };
}

/** Records a fetched invoice on the transfer now (fenced by the lease, like every worker write). */
export async function recordInvoice(
  ctx: ProcessContext,
  invoice: RackbeatCustomerInvoice,
  transfer: Pick<ClaimedTransfer, "companyId" | "unsaved">,
): Promise<void> {
  stageInvoice(transfer, invoice);
  await ctx.update({});
}

/**
 * The interim processor until the transfer engine (run.ts) lands: fetches the invoice from
 * Rackbeat with the company's key, records it on the transfer, and stops there (skipped). Failed
 * Rackbeat calls are classified by the engine's `classifyRackbeatError` (transient → retry).
 */
export const fetchInvoiceProcessor: TransferProcessor = async (transfer, ctx) => {
  const integration = await loadIntegration(ctx.db, transfer.companyId);
  const rackbeat = rackbeatClientFor(integration, { urls: ctx.urls, fetch: ctx.fetch });
  if (!rackbeat) return { kind: "failed", error: { code: "not_connected" } };
  let invoice: RackbeatCustomerInvoice;
  try {
    invoice = await rackbeat.getCustomerInvoice(transfer.rackbeatInvoiceNumber, { signal: ctx.signal });
  } catch (error) {
    if (error instanceof RackbeatError) return classifyRackbeatError(error);
    throw error;
  }
  await recordInvoice(ctx, invoice, transfer);
  return { kind: "skipped", reason: ENGINE_PENDING_REASON };
};
