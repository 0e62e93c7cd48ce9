import { afterEach, describe, expect, it } from "vitest";
import { type Recorder, recorder } from "./recorder";

/*
 * Customers, their contacts and the attention contact EAN needs.
 * Sources: e-conomic/slate `source/includes/_customers.md` (POST requires `currency`,
 * `customerGroup`, `name`, `paymentTerms`, `vatZone`; PUT replaces the whole customer; `attention`
 * is `{customerContactNumber}`; contacts at `/customers/:n/contacts` with `customerContactNumber`,
 * `name`); `_invoices.md` "EAN": "Contact person on the customer must be provided".
 */
describe("contract: customers", () => {
  let r: Recorder | undefined;
  afterEach(async () => r?.close());

  const customer = {
    customerNumber: 102,
    name: "Odense Kommune",
    currency: "DKK",
    customerGroup: { customerGroupNumber: 4 },
    paymentTerms: { paymentTermsNumber: 3 },
    vatZone: { vatZoneNumber: 1 },
    ean: "5798000123456",
  };

  it("creates a customer, a contact, and PUTs the whole customer with its attention contact", async () => {
    r = await recorder([
      { method: "POST", path: /^\/customers$/, status: 201, body: { ...customer, self: "x" } },
      {
        method: "POST",
        path: /^\/customers\/102\/contacts$/,
        status: 201,
        body: { customerContactNumber: 7, name: "Mette", self: "y" },
      },
      {
        method: "PUT",
        path: /^\/customers\/102$/,
        body: { ...customer, attention: { customerContactNumber: 7, self: "z" } },
      },
    ]);
    await r.client.customers.create(customer);
    const contact = await r.client.customerContacts.create(102, { name: "Mette" });
    const updated = await r.client.customers.update(102, {
      ...customer,
      attention: { customerContactNumber: contact.customerContactNumber },
    });
    expect(updated.attention).toMatchObject({ customerContactNumber: 7 });
    expect(r.sent.map((s) => [s.method, s.path])).toEqual([
      ["POST", "/customers"],
      ["POST", "/customers/102/contacts"],
      ["PUT", "/customers/102"],
    ]);
    expect(r.sent[0]?.body).toEqual(customer);
    expect(r.sent[1]?.body).toEqual({ name: "Mette" });
    expect(r.sent[2]?.body).toEqual({ ...customer, attention: { customerContactNumber: 7 } });
  });
});
