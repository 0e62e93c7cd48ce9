import type { Translation } from "./translation";

export const customerInvoiceDa = {
  title: "Kundefaktura",
  comingSoon: "Indstillingerne for kundefakturaer kommer her.",
};

export const customerInvoiceEn: Translation<typeof customerInvoiceDa> = {
  title: "Customer invoice",
  comingSoon: "The customer-invoice settings will be here.",
};
