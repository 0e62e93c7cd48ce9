// `npm install`'s last step: prepare the embedded database's template (scripts/prepare-pglite.ts).
// Plain JavaScript, because it must run (and never fail the install) where tsx is not installed,
// e.g. a production install without dev dependencies: the template is then built at first start.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const tsx = path.join("node_modules", "tsx", "dist", "cli.mjs");
if (process.env.PGLITE_TEMPLATE === "0" || !existsSync(tsx)) process.exit(0);
const result = spawnSync(process.execPath, [tsx, path.join("scripts", "prepare-pglite.ts")], {
  stdio: "inherit",
});
if (result.status !== 0) console.warn("The PGlite template was not prepared; the first start builds it.");
