/**
 * Builds the embedded database's template (db/pglite-open.ts) so the first `npm run dev` after
 * `npm install` loads its database instead of running initdb. Run by `postinstall` (through
 * scripts/postinstall.mjs); safe to run again: a template already there is kept.
 */
import { pgliteTemplate, templateKey } from "@/db/pglite-open";

const started = performance.now();
await pgliteTemplate();
console.log(
  `PGlite template ${templateKey()} ready in ${Math.round(performance.now() - started)} ms (node_modules/.cache/pglite-template)`,
);
