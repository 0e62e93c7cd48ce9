import { env } from "@/lib/env";
import { openDb } from "./client";
import { ensureDemoData } from "./seed";

// `npm run db:seed`: the demo company, when the database has no users yet.
const e = env();
const handle = await openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, max: 1 });
const created = await ensureDemoData(handle.db);
console.log(
  created ? "Demo company created: demo@example.com / demo1234" : "Users exist already: nothing seeded.",
);
await handle.close();
