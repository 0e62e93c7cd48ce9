import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { outboxMailer } from "@/lib/mail/mailer";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { registerCompany } from "./registration";

const count = async (t: TestDb, query: ReturnType<typeof sql>) =>
  rowsOf<{ n: number }>(await t.db.execute(query))[0]?.n ?? 0;

describe.each(dbKinds)("registration on %s (finding 6)", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const options = (ip: string) => ({
    ip,
    locale: "da" as const,
    mailer: outboxMailer,
    from: "no-reply@example.com",
    appUrl: "http://app.example",
  });
  const input = (email: string) => ({
    companyName: "Ny ApS",
    name: "Nina",
    email,
    password: "hemmelig-kode",
  });

  it("answers a taken e-mail exactly as a new one, creates nothing and tells the owner", async () => {
    const fresh = await registerCompany(t.db, input("owner@example.com"), options("192.0.2.1"));
    const companiesBefore = await count(t, sql`select count(*)::int as n from companies`);
    const taken = await registerCompany(t.db, input("owner@example.com"), options("192.0.2.2"));
    expect(Object.keys(taken).sort()).toEqual(Object.keys(fresh).sort());
    expect(taken.ok && fresh.ok).toBe(true);
    if (taken.ok) await taken.notified;
    expect(await count(t, sql`select count(*)::int as n from companies`)).toBe(companiesBefore);
    const [mail] = rowsOf<{ to_address: string; subject: string; body: string; delivery: string }>(
      await t.db.execute(sql`select to_address, subject, body, delivery from mail_outbox`),
    );
    expect(mail).toMatchObject({ to_address: "owner@example.com", delivery: "outbox" });
    expect(mail?.body).toContain("http://app.example/login");
    // The intruder's password did not replace the owner's.
    const hashes = await count(
      t,
      sql`select count(*)::int as n from users where email = 'owner@example.com'`,
    );
    expect(hashes).toBe(1);
  });

  it("throttles registrations per IP, not for other IPs", async () => {
    const ip = "198.51.100.50";
    for (let i = 0; i < 3; i++) {
      const result = await registerCompany(t.db, input(`burst-${i}@example.com`), {
        ...options(ip),
        freePerIp: 3,
      });
      expect(result.ok).toBe(true);
    }
    const blocked = await registerCompany(t.db, input("burst-x@example.com"), {
      ...options(ip),
      freePerIp: 3,
    });
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    expect(
      await count(t, sql`select count(*)::int as n from users where email = 'burst-x@example.com'`),
    ).toBe(0);
    const other = await registerCompany(t.db, input("calm@example.com"), {
      ...options("198.51.100.51"),
      freePerIp: 3,
    });
    expect(other.ok).toBe(true);
  });
});
