import { env, isSandboxMode } from "@/lib/env";
import { openDb } from "./client";
import { ensureDemoData } from "./seed";
import { DEMO_PASSWORD, DEMO_USERS } from "./seed-users";

// `npm run db:seed`: the demo company, when the database has no users yet. Its well-known password
// makes it a sandbox-only thing: in production (NODE_ENV=production without SANDBOX=1) this refuses
// unless asked explicitly with `--demo`, and even then a production server refuses its sign-in.
const explicit = process.argv.slice(2).includes("--demo");
if (!isSandboxMode() && !explicit) {
  console.error(
    "Refusing to seed the demo company in production: its users have a published password. " +
      "Run with SANDBOX=1 for a sandbox, or pass --demo if you really want it (it still cannot sign in " +
      "on a production server).",
  );
  process.exit(1);
}
const e = env();
const handle = await openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, max: 1 });
const created = await ensureDemoData(handle.db);
console.log(
  created
    ? `Demo company created: ${DEMO_USERS.admin.email} / ${DEMO_PASSWORD}`
    : "Users exist already: nothing seeded.",
);
await handle.close();
