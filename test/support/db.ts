import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DbHandle, openDb } from "@/db/client";

export type DbKind = "pglite" | "postgres";

/** Integration tests run on PGlite always, and on Postgres too when DATABASE_URL is set (CI sets it). */
export const dbKinds: DbKind[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDb extends DbHandle {
  /** The Postgres URL of this fresh database (postgres kind only). */
  url?: string;
}

/**
 * A fresh, migrated database of its own: an in-memory PGlite, or a new database on the server of
 * DATABASE_URL that is dropped again on close. Never a shared one.
 */
export async function createTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === "pglite") return openDb({ pgliteDir: "memory://" });
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is needed for Postgres tests");
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(base, name);
  const handle = await openDb({ url, max: 20 }).catch(async (error) => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
    throw error;
  });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function adminUrl(url: string): string {
  return withDatabase(url, "postgres");
}
