import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");

/** `npm run db:seed` as an operator would run it (finding 1: the README suggested it for production). */
async function seed(env: NodeJS.ProcessEnv, args: string[] = []) {
  try {
    const { stdout, stderr } = await run(tsx, ["--conditions=react-server", "db/seed-cli.ts", ...args], {
      env: { PATH: process.env.PATH, PGLITE_DIR: "memory://", ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("db:seed", () => {
  it("refuses the demo company in production unless asked with --demo", async () => {
    const refused = await seed({ NODE_ENV: "production" });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("Refusing to seed the demo company in production");
    const explicit = await seed({ NODE_ENV: "production" }, ["--demo"]);
    expect(explicit).toMatchObject({ code: 0 });
    expect(explicit.output).toContain("Demo company created");
  }, 60_000);
});
