import { env } from "@/lib/env";
import { openDb } from "./client";

// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the PGlite directory.
const e = env();
const handle = await openDb({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, max: 1 });
console.log(`Migrations applied (${handle.kind}${handle.kind === "pglite" ? `: ${e.PGLITE_DIR}` : ""}).`);
await handle.close();
