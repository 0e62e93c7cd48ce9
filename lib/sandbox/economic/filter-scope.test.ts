import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "@/test/support/db";
import { type Json, type SandboxHarness, startSandbox } from "./test-api";

/**
 * Every filter condition stays inside its agreement and collection: `$or` and `$in` compile to SQL
 * `or`, which once bound looser than the agreement scope and listed other agreements' records.
 */
describe.each(dbKinds)("e-conomic sandbox filters across two agreements on %s", (kind) => {
  let h: SandboxHarness;
  let a: string;
  let b: string;

  const customer = (n: number, name: string, extra: object = {}) => ({
    customerNumber: n,
    name,
    currency: "DKK",
    customerGroup: { customerGroupNumber: 1 },
    paymentTerms: { paymentTermsNumber: 1 },
    vatZone: { vatZoneNumber: 1 },
    ...extra,
  });

  beforeAll(async () => {
    h = await startSandbox(kind);
    a = (await h.newAgreement()).agreementGrantToken;
    b = (await h.newAgreement()).agreementGrantToken;
    for (const [grant, body] of [
      [a, customer(1, "Alfa Tømrer", { city: "Aarhus" })],
      [a, customer(777001, "Alfa Smed", { city: "Odense" })],
      [b, customer(1, "Beta Maler", { city: "Aarhus" })],
      [b, customer(2, "Beta Murer", { city: "Vejle" })],
    ] as const) {
      const res = await h.api("/customers", { grant, body });
      expect(res.status, await res.clone().text()).toBe(201);
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  async function names(grant: string, filter: string, path = "/customers"): Promise<Json> {
    const res = await h.api(`${path}?filter=${encodeURIComponent(filter)}`, { grant });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return {
      names: body.collection.map((c: { name: string }) => c.name).sort(),
      results: body.pagination.results,
    };
  }

  it.each([
    ["$in", "customerNumber$in:[1,777001]", ["Beta Maler"]],
    ["$or", "customerNumber$eq:777001$or:city$eq:Aarhus", ["Beta Maler"]],
    [
      "$and inside $or",
      "(city$eq:Odense$and:customerNumber$eq:777001)$or:customerNumber$eq:2",
      ["Beta Murer"],
    ],
    ["$like", "name$like:Alfa*", []],
    ["$like or $in", "name$like:*Smed$or:customerNumber$in:[2,777001]", ["Beta Murer"]],
    ["$ne", "customerNumber$ne:2", ["Beta Maler"]],
  ])("%s lists only the asking agreement's records", async (_name, filter, expected) => {
    const found = await names(b, filter);
    expect(found.names).toEqual(expected);
    expect(found.results).toBe(expected.length);
  });

  it("the same filters from agreement A see A's records only", async () => {
    expect((await names(a, "customerNumber$in:[1,777001]")).names).toEqual(["Alfa Smed", "Alfa Tømrer"]);
    expect((await names(a, "customerNumber$eq:2$or:city$eq:Vejle")).names).toEqual([]);
  });

  it("keeps a filter inside its collection", async () => {
    // Payment terms and customers share numbers; an `or` must not reach across kinds.
    const terms = await names(b, "paymentTermsNumber$eq:1$or:customerNumber$eq:1", "/payment-terms");
    expect(terms.names).toEqual(["Netto 8 dage"]);
  });
});
