import { afterEach, describe, expect, it } from "vitest";
import { type Recorder, recorder } from "./recorder";

/*
 * Product groups: written through the Products API, read through REST.
 * Sources:
 * - Rackbeat/laravel-economic `src/Models/ProductGroup.php`: `id`, `name`, `domesticAccountId`,
 *   `objectVersion`; `src/Builders/ResourceApi/Products/ProductGroupBuilder.php`: `productsapi`,
 *   `v1.1.0`, `productgroups`; `ProductGroupVatZoneBuilder.php` / `ProductGroupVatZone.php`:
 *   `productgroups/:productGroupNumber/zones` with `id`, `accountId`.
 * - e-conomic/slate `source/includes/_product-groups.md`: REST `GET /product-groups/:n` and
 *   `/product-groups/:n/sales-accounts` (`salesAccount{accountNumber}`, `vatZone{vatZoneNumber}`).
 * UNCONFIRMED (kept in lib/economic/product-groups-api.ts only): a zone's `id` is the VAT zone
 * number; the domestic zone is the group's `domesticAccountId` (no zone written for it); the
 * Products API's error model; that it honours `Idempotency-Key`.
 */
describe("contract: product groups", () => {
  let r: Recorder | undefined;
  afterEach(async () => r?.close());

  it("POSTs {id, name, domesticAccountId}, then {id, accountId} per other zone, keyed, then reads REST", async () => {
    r = await recorder([
      {
        method: "POST",
        path: /\/productgroups$/,
        status: 201,
        body: { id: 9, name: "Ydelser", domesticAccountId: 1010, objectVersion: "AAAA" },
      },
      { method: "POST", path: /\/zones$/, status: 201, body: { id: 2, accountId: 1025 } },
      {
        method: "GET",
        path: /\/product-groups\/9\/sales-accounts$/,
        body: {
          collection: [
            { salesAccount: { accountNumber: 1010, self: "x" }, vatZone: { vatZoneNumber: 1, self: "y" } },
          ],
          pagination: { results: 1 },
        },
      },
      {
        method: "GET",
        path: /\/product-groups\/9$/,
        body: {
          productGroupNumber: 9,
          name: "Ydelser",
          salesAccounts: "https://restapi.e-conomic.com/product-groups/9/sales-accounts",
        },
      },
    ]);
    const group = await r.client.productGroups.create({
      productGroupNumber: 9,
      name: "Ydelser",
      salesAccounts: [
        { vatZoneNumber: 1, accountNumber: 1010 },
        { vatZoneNumber: 2, accountNumber: 1025 },
      ],
    });
    expect(group).toMatchObject({ productGroupNumber: 9, name: "Ydelser" });
    expect(r.sent.map((s) => [s.method, s.path, s.body])).toEqual([
      ["POST", "/productsapi/v1.1.0/productgroups", { id: 9, name: "Ydelser", domesticAccountId: 1010 }],
      ["GET", "/product-groups/9/sales-accounts", undefined],
      ["POST", "/productsapi/v1.1.0/productgroups/9/zones", { id: 2, accountId: 1025 }],
      ["GET", "/product-groups/9", undefined],
    ]);
    for (const s of r.sent.filter((x) => x.method === "POST")) {
      expect(s.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.headers.get("x-appsecrettoken")).toBe("app");
      expect(s.headers.get("x-agreementgranttoken")).toBe("grant");
    }
  });
});
