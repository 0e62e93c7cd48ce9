import { loadIntegration, rackbeatClientFor } from "@/lib/integrations/clients";
import { type RackbeatCustomerInvoice, RackbeatError } from "@/lib/rackbeat";
import { classifyRackbeatError } from "./errors";
import type { ProcessContext, TransferPatch, TransferProcessor } from "./types";

/** Why the interim processor stops after recording the invoice (until the transfer engine runs). */
export const ENGINE_PENDING_REASON = "engine_pending";

/** The review page's columns of a fetched Rackbeat invoice. */
export function invoiceColumns(invoice: RackbeatCustomerInvoice): TransferPatch {
  const date = invoice.date?.match(/^\d{4}-\d{2}-\d{2}/)?.[0] ?? null;
  return {
    invoice,
    orderNumber: invoice.order?.number ?? null,
    customerNumber: String(invoice.customer_id),
    customerName: invoice.customer?.company_name ?? invoice.address_name ?? null,
    invoiceDate: date,
    currency: invoice.currency,
    netAmount: invoice.total_subtotal,
  };
}

/** Records a fetched invoice on the transfer (fenced by the lease, like every worker write). */
export async function recordInvoice(ctx: ProcessContext, invoice: RackbeatCustomerInvoice): Promise<void> {
  await ctx.update(invoiceColumns(invoice));
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
  await recordInvoice(ctx, invoice);
  return { kind: "skipped", reason: ENGINE_PENDING_REASON };
};
