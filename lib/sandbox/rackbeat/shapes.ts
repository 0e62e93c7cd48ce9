/**
 * The minimal shapes of Rackbeat's public SDK models (rackbeat-api.md, "Where the real API may
 * differ"), served when an account's `minimalShapes` fault is on: what our full sandbox objects
 * lose there, so the adapter's fallbacks run against real HTTP.
 */

type Json = Record<string, unknown>;

function without(object: Json, keys: string[]): Json {
  const copy = { ...object };
  for (const key of keys) delete copy[key];
  return copy;
}

export function minimalCustomer(customer: Json): Json {
  return without(customer, ["vat_zone", "currency", "group"]);
}

export function minimalInvoice(invoice: Json): Json {
  const customer = invoice.customer as Json | null | undefined;
  return {
    ...without(invoice, ["date", "project"]),
    customer: customer ? minimalCustomer(customer) : customer,
  };
}

export function minimalProduct(product: Json): Json {
  const unit = product.unit;
  return { ...product, unit: typeof unit === "string" ? { name: unit } : unit };
}
