import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * How long `npm run dev` takes from a fresh start (no build output, a new embedded database) until
 * the login page answers, and until a second page (the register page, compiled on first visit)
 * answers. Usage: `npm run bench:dev-start [-- --webpack]` (Turbopack by default).
 */

const port = Number(process.env.PORT ?? 3299);
const webpack = process.argv.includes("--webpack");
const base = `http://127.0.0.1:${port}`;

async function firstAnswer(url: string, started: number, limitMs = 300_000): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(120_000) });
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > limitMs) throw new Error(`${url} did not answer within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dev-start-"));
  const args = [path.join("node_modules", "next", "dist", "bin", "next"), "dev", "-p", String(port)];
  if (!webpack) args.push("--turbopack");
  const distDir = path.join(".next-bench", path.basename(dir));
  // `next dev` adds its dist folder's types to tsconfig.json: put the file back afterwards.
  const tsconfig = await readFile("tsconfig.json", "utf8");
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(port),
      NEXT_DIST_DIR: distDir,
      PGLITE_DIR: path.join(dir, "db"),
      // The README's path: the embedded PGlite, even when run from bench:all (which sets DATABASE_URL).
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: process.env.BENCH_VERBOSE ? "inherit" : "ignore",
  });
  try {
    const login = await firstAnswer(`${base}/login`, started);
    const registerStarted = Date.now();
    const register = await firstAnswer(`${base}/register`, registerStarted);
    const [load1] = os.loadavg();
    console.log(
      JSON.stringify({
        bundler: webpack ? "webpack" : "turbopack",
        firstPageMs: login,
        secondPageFirstVisitMs: register,
        loadAverage1m: Number(load1?.toFixed(2)),
        cpus: os.cpus().length,
      }),
    );
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await rm(dir, { recursive: true, force: true });
    await rm(distDir, { recursive: true, force: true });
    await writeFile("tsconfig.json", tsconfig);
  }
}

await main();
