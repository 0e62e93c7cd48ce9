import { sql } from "drizzle-orm";
import { createCompany, EmailTakenError } from "@/lib/auth/register";
import { type Db, rowsOf } from "./client";

import { DEMO_PASSWORD, DEMO_USERS } from "./seed-users";

export { DEMO_PASSWORD, DEMO_USERS };

/**
 * A database with no users gets the demo company, so a newcomer can sign in at once. Sandbox mode
 * only: the server calls it under SANDBOX=1, `npm run db:seed` refuses in production without --demo,
 * and a production server refuses the demo accounts' sign-in even when they exist.
 */
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
