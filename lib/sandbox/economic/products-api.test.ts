import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "@/test/support/db";
import { type ApiInit, type Json, type SandboxHarness, startSandbox } from "./test-api";

const GROUPS = "/productsapi/v1.1.0/productgroups";

describe.each(dbKinds)("e-conomic sandbox Products API product groups on %s", (kind) => {
  let h: SandboxHarness;
  let grant: string;

  beforeAll(async () => {
    h = await startSandbox(kind);
    grant = (await h.newAgreement()).agreementGrantToken;
  });
  afterAll(async () => {
    await h?.close();
  });

  async function call(path: string, init: ApiInit = {}): Promise<{ status: number; body: Json }> {
    const res = await h.api(path, { grant, ...init });
    return { status: res.status, body: await res.json() };
  }

  it("creates a group with its domestic account, then its other zones, read back through REST", async () => {
    const group = await call(GROUPS, { body: { id: 20, name: "Ydelser", domesticAccountId: 1010 } });
    expect(group.status).toBe(201);
    expect(group.body).toMatchObject({ id: 20, name: "Ydelser", domesticAccountId: 1010 });
    expect(typeof group.body.objectVersion).toBe("string");
    for (const [zone, account] of [
      [2, 1026],
      [3, 1021],
      [4, 1015],
    ]) {
      expect((await call(`${GROUPS}/20/zones`, { body: { id: zone, accountId: account } })).status).toBe(201);
    }
    const zones = await call(`${GROUPS}/20/zones`);
    expect(zones.body.items).toEqual([
      { id: 2, accountId: 1026 },
      { id: 3, accountId: 1021 },
      { id: 4, accountId: 1015 },
    ]);
    const rest = await call("/product-groups/20/sales-accounts");
    expect(
      rest.body.collection.map((s: Json) => [s.vatZone.vatZoneNumber, s.salesAccount.accountNumber]),
    ).toEqual([
      [1, 1010],
      [2, 1026],
      [3, 1021],
      [4, 1015],
    ]);
    expect((await call("/product-groups/20")).body).toMatchObject({
      productGroupNumber: 20,
      name: "Ydelser",
    });
    expect((await call(`${GROUPS}/20`)).body).toMatchObject({ id: 20, domesticAccountId: 1010 });
    expect((await call(GROUPS)).body.items.map((g: Json) => g.id)).toEqual([1, 20]);
  });

  it("refuses the invented REST-style body with the Products API's error model", async () => {
    const { status, body } = await call(GROUPS, {
      body: { number: 21, name: "Varer", salesAccounts: [{ vatZoneNumber: 1, accountNumber: 1010 }] },
    });
    expect(status).toBe(400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "UnknownProperty", property: "number" }),
        expect.objectContaining({ code: "UnknownProperty", property: "salesAccounts" }),
        expect.objectContaining({ code: "PropertyRequired", property: "id" }),
        expect.objectContaining({ code: "PropertyRequired", property: "domesticAccountId" }),
      ]),
    );
    // Not the REST API's model.
    expect(body.errorCode).toBeUndefined();
    expect((await call("/product-groups/21")).status).toBe(404);
  });

  it("refuses accounts that cannot take sales, unknown zones and a taken id", async () => {
    const barred = await call(GROUPS, { body: { id: 22, name: "X", domesticAccountId: 1090 } });
    expect(barred.body.errors).toEqual([expect.objectContaining({ property: "domesticAccountId" })]);
    const missing = await call(GROUPS, { body: { id: 22, name: "X", domesticAccountId: 4242 } });
    expect(missing.body.errors[0]).toMatchObject({ code: "AccountNotFound" });
    const taken = await call(GROUPS, { body: { id: 1, name: "Varer", domesticAccountId: 1010 } });
    expect(taken.status).toBe(409);
    expect(taken.body.errors[0]).toMatchObject({ code: "DuplicateId", property: "id" });
    expect((await call(`${GROUPS}/1/zones`, { body: { id: 9, accountId: 1010 } })).status).toBe(400);
    expect((await call(`${GROUPS}/1/zones`, { body: { id: 2, accountId: 1025 } })).status).toBe(409);
    expect((await call(`${GROUPS}/999/zones`, { body: { id: 2, accountId: 1025 } })).status).toBe(404);
  });

  it("answers a repeated Idempotency-Key with the first answer and refuses it for another body", async () => {
    const headers = { "Idempotency-Key": "5b0e7c2e-1f4a-5a55-a001-000000000023" };
    const body = { id: 23, name: "Reservedele", domesticAccountId: 1010 };
    const first = await call(GROUPS, { body, headers });
    const again = await call(GROUPS, { body, headers });
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    const other = await call(GROUPS, { body: { ...body, id: 24 }, headers });
    expect(other.status).toBe(422);
    expect(other.body.errors[0]).toMatchObject({ code: "IdempotencyKeyReused" });
    expect((await call("/product-groups/24")).status).toBe(404);
  });

  it("serves the VAT codes' rates at /vat-accounts", async () => {
    const { body } = await call("/vat-accounts");
    expect(body.collection.map((v: Json) => [v.vatCode, v.ratePercentage])).toEqual([
      ["ABR", 0],
      ["EUV", 0],
      ["U25", 25],
    ]);
    expect((await call("/vat-accounts/U25")).body.account).toEqual({ accountNumber: 6902 });
  });
});
