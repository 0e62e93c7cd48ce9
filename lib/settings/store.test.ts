import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompany } from "@/lib/auth/register";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { defaultSettings } from "./schema";
import { listSettingsChanges, loadSettings, saveSettings } from "./store";

describe.each(dbKinds)("settings store on %s", (kind) => {
  let t: TestDb;
  let companyId: string;
  let userId: string;
  beforeAll(async () => {
    t = await createTestDb(kind);
    const created = await createCompany(t.db, "Indstillinger ApS", [
      { name: "Ida", email: "ida@example.com", password: "12345678", role: "admin" },
    ]);
    companyId = created.company.id;
    userId = created.users[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("starts at the defaults, version 0", async () => {
    expect(await loadSettings(t.db, companyId)).toMatchObject({ values: defaultSettings, version: 0 });
  });

  it("saves with a version, keeps history, and refuses a save edited from an older version", async () => {
    const first = await saveSettings(t.db, {
      companyId,
      userId,
      userName: "Ida",
      expectedVersion: 0,
      values: { ...defaultSettings, debtorIntegration: true, customerGroupAccount: 5600 },
    });
    expect(first).toEqual({ ok: true, version: 1, changed: 2 });
    // A second tab still shows version 0 and saves something else: refused, shown the newer values.
    const stale = await saveSettings(t.db, {
      companyId,
      userId,
      userName: "Ida",
      expectedVersion: 0,
      values: { ...defaultSettings, useActualQuantity: true },
    });
    expect(stale.ok).toBe(false);
    if (!stale.ok)
      expect(stale.current).toMatchObject({ version: 1, values: { customerGroupAccount: 5600 } });
    const loaded = await loadSettings(t.db, companyId);
    expect(loaded.values.useActualQuantity).toBe(false);
    expect(loaded.values.debtorIntegration).toBe(true);
    const history = await listSettingsChanges(t.db, companyId);
    expect(history.map((h) => [h.key, h.oldValue, h.newValue]).sort()).toEqual([
      ["customerGroupAccount", null, 5600],
      ["debtorIntegration", false, true],
    ]);
  });

  it("lets exactly one of two concurrent saves of the same version win", async () => {
    const { version } = await loadSettings(t.db, companyId);
    const results = await Promise.all(
      [true, false].map((flag) =>
        saveSettings(t.db, {
          companyId,
          userId,
          userName: "Ida",
          expectedVersion: version,
          values: {
            ...defaultSettings,
            debtorIntegration: true,
            customerGroupAccount: 5600,
            neverBookEanInvoices: flag,
            orderNumberToOtherReference: !flag,
          },
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await loadSettings(t.db, companyId)).version).toBe(version + 1);
  });
});
