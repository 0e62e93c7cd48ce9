import { sql } from "drizzle-orm";
import { createCompany, EmailTakenError } from "@/lib/auth/register";
import { type Db, rowsOf } from "./client";

export const DEMO_PASSWORD = "demo1234";
export const DEMO_USERS = {
  admin: { email: "demo@example.com", name: "Demo Administrator" },
  viewer: { email: "viewer@example.com", name: "Demo Læser" },
} as const;

/** A database with no users gets the demo company, so a newcomer can sign in at once. */
export async function ensureDemoData(db: Db): Promise<boolean> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from users`));
  if ((row?.n ?? 0) > 0) return false;
  try {
    await createCompany(db, "Demo ApS", [
      { ...DEMO_USERS.admin, password: DEMO_PASSWORD, role: "admin" },
      { ...DEMO_USERS.viewer, password: DEMO_PASSWORD, role: "viewer" },
    ]);
    return true;
  } catch (error) {
    // Another instance seeded at the same moment.
    if (error instanceof EmailTakenError) return false;
    throw error;
  }
}
