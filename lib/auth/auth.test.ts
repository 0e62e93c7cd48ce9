import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoData } from "@/db/seed";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { authenticate } from "./credentials";
import { hashPassword, verifyPassword } from "./password";
import { createCompany, EmailTakenError, registerSchema } from "./register";
import { THROTTLE_POLICY } from "./throttle";

describe("password hashing", () => {
  it("verifies the right password only, with a fresh salt each time", async () => {
    const a = await hashPassword("hemmelig-kode");
    const b = await hashPassword("hemmelig-kode");
    expect(a).not.toBe(b);
    expect(a.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword("hemmelig-kode", a)).toBe(true);
    expect(await verifyPassword("hemmelig-kodE", a)).toBe(false);
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
  });
});

describe("registration input", () => {
  it("normalises the e-mail and names each bad field", () => {
    const ok = registerSchema.safeParse({
      companyName: " A ApS ",
      name: "Bo",
      email: " Bo@X.DK ",
      password: "12345678",
    });
    expect(ok.success && ok.data.email).toBe("bo@x.dk");
    const bad = registerSchema.safeParse({ companyName: "", name: "", email: "nope", password: "short" });
    expect(bad.success).toBe(false);
    const fields = bad.error?.issues.map((i) => `${i.path.join(".")}:${i.message}`).sort();
    expect(fields).toEqual([
      "companyName:required",
      "email:email",
      "name:required",
      "password:passwordShort",
    ]);
  });
});

describe.each(dbKinds)("sign-in and companies on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("seeds the demo company once, with an admin and a viewer", async () => {
    expect(await ensureDemoData(t.db)).toBe(true);
    expect(await ensureDemoData(t.db)).toBe(false);
    const admin = await authenticate(t.db, { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD });
    const viewer = await authenticate(t.db, { email: DEMO_USERS.viewer.email, password: DEMO_PASSWORD });
    expect(admin.ok && admin.user.role).toBe("admin");
    expect(viewer.ok && viewer.user.role).toBe("viewer");
    expect(admin.ok && viewer.ok && admin.user.companyId === viewer.user.companyId).toBe(true);
  });

  it("answers a wrong password and an unknown e-mail the same way", async () => {
    const wrong = await authenticate(t.db, {
      email: DEMO_USERS.admin.email,
      password: "wrong",
      ip: "10.0.0.1",
    });
    const unknown = await authenticate(t.db, {
      email: "ghost@example.com",
      password: "wrong",
      ip: "10.0.0.1",
    });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual({ ok: false, reason: "invalid" });
  });

  it("backs off after repeated failures per e-mail, for known and unknown e-mails alike", async () => {
    for (const email of ["throttled@example.com", "ghost-2@example.com"]) {
      if (email === "throttled@example.com") {
        await createCompany(t.db, "Throttle ApS", [
          { name: "T", email, password: "right-password", role: "admin" },
        ]);
      }
      for (let i = 0; i < THROTTLE_POLICY.email.freeFailures; i++) {
        expect((await authenticate(t.db, { email, password: "wrong" })).ok).toBe(false);
      }
      const locked = await authenticate(t.db, { email, password: "wrong" });
      expect(locked).toMatchObject({ ok: false, reason: "throttled" });
      // Even the right password waits while the lock holds.
      const right = await authenticate(t.db, { email, password: "right-password" });
      expect(right).toMatchObject({ ok: false, reason: "throttled" });
    }
  });

  it("backs off per IP across many e-mails", async () => {
    const ip = "192.0.2.77";
    for (let i = 0; i < THROTTLE_POLICY.ip.freeFailures; i++) {
      await authenticate(t.db, { email: `spray-${i}@example.com`, password: "x", ip });
    }
    const result = await authenticate(t.db, { email: DEMO_USERS.viewer.email, password: DEMO_PASSWORD, ip });
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    const otherIp = await authenticate(t.db, {
      email: DEMO_USERS.viewer.email,
      password: DEMO_PASSWORD,
      ip: "192.0.2.78",
    });
    expect(otherIp.ok).toBe(true);
  });

  it("clears the e-mail's failures after a successful sign-in", async () => {
    const email = "recovers@example.com";
    await createCompany(t.db, "Recover ApS", [
      { name: "R", email, password: "right-password", role: "admin" },
    ]);
    for (let i = 0; i < THROTTLE_POLICY.email.freeFailures - 1; i++) {
      await authenticate(t.db, { email, password: "wrong" });
    }
    expect((await authenticate(t.db, { email, password: "right-password" })).ok).toBe(true);
    const rows = rowsOf<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from login_throttles where key = ${`email:${email}`}`),
    );
    expect(rows[0]?.n).toBe(0);
  });

  it("refuses a taken e-mail and leaves no half-created company behind", async () => {
    const before = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from companies`))[0]
      ?.n;
    await expect(
      createCompany(t.db, "Dublet ApS", [
        { name: "X", email: DEMO_USERS.admin.email.toUpperCase(), password: "12345678", role: "admin" },
      ]),
    ).rejects.toBeInstanceOf(EmailTakenError);
    const after = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from companies`))[0]
      ?.n;
    expect(after).toBe(before);
  });
});
