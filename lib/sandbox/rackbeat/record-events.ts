import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { WebhookDispatcher } from "./dispatcher";
import { invalidField, notFound, parseBody } from "./http";
import { rbCustomerGroups, rbCustomers, rbProductGroups } from "./schema";
import {
  customerGroupInput,
  customerInput,
  findCustomerGroup,
  findPaymentTerm,
  getCustomer,
  serializeCustomerGroup,
  serializeProductGroup,
} from "./store";
import { insertDeliveries } from "./webhooks";

/**
 * Master-data events: the sandbox fires `customer.created`, `customer.updated`,
 * `customer_group.created`, `customer_group.updated`, `product_group.created` and
 * `product_group.updated` when those records are created or updated through its API, with the
 * body `{"key_name":"number","key":"<number>"}` like its invoice event. Rackbeat's catalog names
 * events `entity.action` (rackbeat-api.md, "Webhooks"); these six names are the sandbox's choice,
 * and the app keeps them as settings (lib/sync/record-key.ts).
 */
export type RecordEntity = "customer" | "customer_group" | "product_group";

export interface EventScope {
  db: Db;
  accountId: number;
  dispatcher: WebhookDispatcher;
  webhookOrigin?: string;
}

/** Records and sends the deliveries of one record event (to every active webhook for it). */
export async function fireRecordEvent(
  scope: EventScope,
  entity: RecordEntity,
  action: "created" | "updated",
  number: number,
): Promise<void> {
  const rows = await insertDeliveries(
    scope.db,
    scope.accountId,
    `${entity}.${action}`,
    String(number),
    scope.webhookOrigin,
  );
  scope.dispatcher.enqueue(rows);
}

const has = (body: unknown, key: string) =>
  typeof body === "object" && body !== null && Object.hasOwn(body, key);

/** PUT /customers/:number: the fields given are changed (a partial update). */
export async function updateCustomer(db: Db, accountId: number, number: number, body: unknown) {
  const input = parseBody(customerInput.partial(), body);
  const set: Partial<typeof rbCustomers.$inferInsert> = { updatedAt: new Date() };
  const text = (key: string, value: string | null | undefined) =>
    has(body, key) ? (value ?? null) : undefined;
  Object.assign(
    set,
    Object.fromEntries(
      Object.entries({
        companyName: has(body, "company_name") ? input.company_name : undefined,
        companyVat: text("company_vat", input.company_vat),
        ean: text("ean", input.ean),
        theirReference: text("their_reference", input.their_reference),
        addressStreet: text("address_street", input.address_street),
        addressCity: text("address_city", input.address_city),
        addressZipcode: text("address_zipcode", input.address_zipcode),
        addressCountry: text("address_country", input.address_country),
        contactEmail: text("contact_email", input.contact_email),
        vatZone: has(body, "vat_zone") ? input.vat_zone : undefined,
        currency: has(body, "currency") ? input.currency : undefined,
      }).filter(([, v]) => v !== undefined),
    ),
  );
  if (has(body, "group") && input.group) {
    const group = await findCustomerGroup(db, accountId, input.group.number);
    if (!group) throw invalidField("group.number", "The selected group number is invalid.");
    set.groupNumber = group.number;
  }
  if (has(body, "payment_terms")) {
    const terms = input.payment_terms
      ? await findPaymentTerm(db, accountId, input.payment_terms.number)
      : null;
    if (input.payment_terms && !terms) {
      throw invalidField("payment_terms.number", "The selected payment terms number is invalid.");
    }
    set.paymentTermsNumber = terms?.number ?? null;
  }
  const updated = await db
    .update(rbCustomers)
    .set(set)
    .where(and(eq(rbCustomers.accountId, accountId), eq(rbCustomers.number, number)))
    .returning({ number: rbCustomers.number });
  if (updated.length === 0) throw notFound("Customer");
  return getCustomer(db, accountId, number);
}

/** PUT /customer-groups/:number: the name. */
export async function updateCustomerGroup(db: Db, accountId: number, number: number, body: unknown) {
  const input = parseBody(customerGroupInput.pick({ name: true }), body);
  const [row] = await db
    .update(rbCustomerGroups)
    .set({ name: input.name, updatedAt: new Date() })
    .where(and(eq(rbCustomerGroups.accountId, accountId), eq(rbCustomerGroups.number, number)))
    .returning();
  if (!row) throw notFound("Customer group");
  return serializeCustomerGroup(row);
}

/** PUT /product-groups/:number: the name. */
export async function updateProductGroup(db: Db, accountId: number, number: number, body: unknown) {
  const input = parseBody(customerGroupInput.pick({ name: true }), body);
  const [row] = await db
    .update(rbProductGroups)
    .set({ name: input.name, updatedAt: new Date() })
    .where(and(eq(rbProductGroups.accountId, accountId), eq(rbProductGroups.number, number)))
    .returning();
  if (!row) throw notFound("Product group");
  return serializeProductGroup(row);
}
