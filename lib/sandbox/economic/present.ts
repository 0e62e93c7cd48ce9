import { encodeProductNumber } from "@/lib/economic/product-number";
import type { JsonObject } from "./schema";
import type { DocKind } from "./store";

interface Presentable {
  key: string;
  parentKey: string | null;
  data: JsonObject;
}

/** The `self` path of a document below the base URL. */
export function selfPath(kind: DocKind, key: string, parentKey: string | null = null): string {
  switch (kind) {
    case "account":
      return `/accounts/${key}`;
    case "vatZone":
      return `/vat-zones/${key}`;
    case "paymentTerms":
      return `/payment-terms/${key}`;
    case "layout":
      return `/layouts/${key}`;
    case "unit":
      return `/units/${key}`;
    case "customerGroup":
      return `/customer-groups/${key}`;
    case "productGroup":
      return `/product-groups/${key}`;
    case "project":
      return `/projectsapi/v1.1.0/Projects/${key}`;
    case "customer":
      return `/customers/${key}`;
    case "contact":
      return `/customers/${parentKey}/contacts/${key}`;
    case "product":
      return `/products/${encodeProductNumber(key)}`;
    case "draft":
      return `/invoices/drafts/${key}`;
    case "booked":
      return `/invoices/booked/${key}`;
    case "vatAccount":
      return `/vat-accounts/${encodeURIComponent(key)}`;
    case "idempotency":
      return `/idempotency/${key}`;
  }
}

/** A stored document as e-conomic shows it: with `self` and the links of its kind. */
export function present(kind: DocKind, row: Presentable, base: string): JsonObject {
  const self = `${base}${selfPath(kind, row.key, row.parentKey)}`;
  const out: JsonObject = { ...row.data };
  switch (kind) {
    case "customer":
      out.contacts = `${self}/contacts`;
      break;
    case "productGroup":
      out.salesAccounts = `${self}/sales-accounts`;
      break;
    case "contact":
      out.customer = { customerNumber: Number(row.parentKey), self: `${base}/customers/${row.parentKey}` };
      break;
    case "draft":
    case "booked":
      out.pdf = { download: `${self}/pdf` };
      break;
    case "project":
      return out;
  }
  out.self = self;
  return out;
}
