export { computeTotals, type InvoiceTotals, type SandboxCustomerInvoice } from "./invoices";
export { createRackbeatSandbox, type RackbeatSandboxHandler, type RackbeatSandboxOptions } from "./router";
export { type CreatedAccount, createAccount } from "./seed";
export { INVOICE_BOOKED_EVENT } from "./webhooks";
