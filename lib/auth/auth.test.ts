import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rowsOf } from "@/db/client";
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoData } from "@/db/seed";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { authenticate } from "./credentials";
import { changePassword, endAllSessions } from "./end-sessions";
import { hashPassword, verifyPassword } from "./password";
import { createCompany, EmailTakenError, registerSchema } from "./register";
import { recordFailure, THROTTLE_POLICY, throttleKey } from "./throttle";

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

  it("backs off per (e-mail, IP), for known and unknown e-mails alike", async () => {
    for (const email of ["throttled@example.com", "ghost-2@example.com"]) {
      if (email === "throttled@example.com") {
        await createCompany(t.db, "Throttle ApS", [
          { name: "T", email, password: "right-password", role: "admin" },
        ]);
      }
      const ip = "198.51.100.1";
      for (let i = 0; i < THROTTLE_POLICY.emailIp.freeFailures; i++) {
        expect((await authenticate(t.db, { email, password: "wrong", ip })).ok).toBe(false);
      }
      const locked = await authenticate(t.db, { email, password: "wrong", ip });
      expect(locked).toMatchObject({ ok: false, reason: "throttled" });
      // Even the right password waits while the lock holds, from that IP.
      const right = await authenticate(t.db, { email, password: "right-password", ip });
      expect(right).toMatchObject({ ok: false, reason: "throttled" });
    }
  });

  it("lets the owner in from a clean IP while an attacker holds the account's lock (finding 7)", async () => {
    const email = "victim@example.com";
    await createCompany(t.db, "Victim ApS", [
      { name: "V", email, password: "right-password", role: "admin" },
    ]);
    // One attacker IP keeps failing: its own (e-mail, IP) pair locks, nobody else's.
    for (let i = 0; i <= THROTTLE_POLICY.emailIp.freeFailures; i++) {
      await authenticate(t.db, { email, password: "guess", ip: "203.0.113.9" });
    }
    expect(await authenticate(t.db, { email, password: "right-password", ip: "203.0.113.9" })).toMatchObject({
      reason: "throttled",
    });
    const owner = await authenticate(t.db, { email, password: "right-password", ip: "192.0.2.10" });
    expect(owner.ok).toBe(true);
  });

  it("locks the e-mail for IPs that failed too once it passes the much higher e-mail threshold", async () => {
    const email = "popular@example.com";
    await createCompany(t.db, "Popular ApS", [
      { name: "P", email, password: "right-password", role: "admin" },
    ]);
    // Many IPs, each below its own pair threshold, push the e-mail's count over its threshold.
    const free = THROTTLE_POLICY.email.freeFailures;
    const ips = Math.ceil(free / 2);
    for (let n = 0; n < ips; n++) {
      await recordFailure(t.db, throttleKey("emailIp", email, `10.9.${n >> 8}.${n & 255}`), "emailIp");
      await recordFailure(t.db, throttleKey("ip", `10.9.${n >> 8}.${n & 255}`), "ip");
    }
    for (let n = 0; n < free; n++) await recordFailure(t.db, throttleKey("email", email), "email");
    // An IP that failed before is held by the e-mail's lock, even with the right password…
    expect(await authenticate(t.db, { email, password: "right-password", ip: "10.9.0.1" })).toMatchObject({
      reason: "throttled",
    });
    // …one with no failures of its own is not.
    expect((await authenticate(t.db, { email, password: "right-password", ip: "192.0.2.200" })).ok).toBe(
      true,
    );
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
    const ip = "192.0.2.90";
    await createCompany(t.db, "Recover ApS", [
      { name: "R", email, password: "right-password", role: "admin" },
    ]);
    for (let i = 0; i < THROTTLE_POLICY.emailIp.freeFailures - 1; i++) {
      await authenticate(t.db, { email, password: "wrong", ip });
    }
    expect((await authenticate(t.db, { email, password: "right-password", ip })).ok).toBe(true);
    const rows = rowsOf<{ n: number }>(
      await t.db.execute(
        sql`select count(*)::int as n from login_throttles where key in (${throttleKey("email", email)}, ${throttleKey("emailIp", email, ip)})`,
      ),
    );
    expect(rows[0]?.n).toBe(0);
  });

  it("refuses the demo accounts' sign-in outside sandbox mode, even with the right password (finding 1)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const input = { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD, ip: "192.0.2.120" };
      expect(await authenticate(t.db, input, { sandbox: false })).toEqual({ ok: false, reason: "invalid" });
      expect(warn.mock.calls.flat().join(" ")).toMatch(/demo account.*sandbox mode/);
      expect((await authenticate(t.db, input, { sandbox: true })).ok).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  it("ends every session of the user on sign-out and on a password change (finding 8)", async () => {
    const email = "sessions@example.com";
    await createCompany(t.db, "Sessions ApS", [
      { name: "S", email, password: "old-password", role: "admin" },
    ]);
    const first = await authenticate(t.db, { email, password: "old-password", ip: "192.0.2.130" });
    if (!first.ok) throw new Error("sign-in failed");
    const version = async () =>
      rowsOf<{ v: number }>(
        await t.db.execute(sql`select session_version as v from users where id = ${first.user.id}`),
      )[0]?.v;
    expect(first.user.sessionVersion).toBe(await version());
    await endAllSessions(t.db, first.user.id);
    expect(await version()).toBe(first.user.sessionVersion + 1);

    expect(
      await changePassword(t.db, first.user.id, { currentPassword: "wrong", newPassword: "new-password" }),
    ).toEqual({ ok: false, reason: "wrongPassword" });
    expect(await version()).toBe(first.user.sessionVersion + 1);
    expect(
      await changePassword(t.db, first.user.id, {
        currentPassword: "old-password",
        newPassword: "new-password",
      }),
    ).toEqual({ ok: true });
    expect(await version()).toBe(first.user.sessionVersion + 2);
    const again = await authenticate(t.db, { email, password: "new-password", ip: "192.0.2.130" });
    expect(again.ok && again.user.sessionVersion).toBe(first.user.sessionVersion + 2);
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
