/**
 * `npm run bench:startup`: how fast the production server (`next start`, shipped defaults, sandbox
 * mode so it has its demo data) answers its first page, and how much memory it holds when idle.
 *
 *   - PGlite, new data directory, with the template `npm install` prepared (db/pglite-open.ts)
 *   - PGlite, new data directory, without a template (PGLITE_TEMPLATE_DIR=0: initdb at start)
 *   - PGlite, the same data directory again (a restart)
 *   - PGlite with the stock 128 MB shared_buffers (PGLITE_CONF="shared_buffers=128MB"), for comparison
 *   - Postgres (DATABASE_URL's server, default local), a new database
 *
 * Each scenario runs RUNS times (default 3); printed: time to the first 200 of /login (which reads the
 * database: the demo user), and the server's RSS after it has been idle for IDLE_MS (default 5 s),
 * each run's figure and the median, with the load average. Uses the benches' one production build
 * (bench/support.ts ensureBuild, made when missing or older than the sources).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { DIST_DIR, ensureBuild } from "./support";

const RUNS = Number(process.env.RUNS ?? 3);
const IDLE_MS = Number(process.env.IDLE_MS ?? 5_000);
const PORT = Number(process.env.PORT ?? 3460);
const POSTGRES_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Scenario = {
  name: string;
  /** Environment for the server; `dir` is a new temporary folder of this run. */
  env: (dir: string, run: number) => Promise<Record<string, string>>;
  cleanup?: () => Promise<void>;
};

/** Resident memory of a process and its children, from /proc (Linux), in MB. */
function treeRssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) visit(Number(child));
    } catch {
      // gone
    }
  };
  visit(pid);
  return Math.round(kb / 1024);
}

async function firstOk(url: string, started: number, server: ChildProcess): Promise<number> {
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
      if (res.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 180_000) throw new Error(`${url} did not answer within 180 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runOnce(env: Record<string, string>): Promise<{ firstPageMs: number; idleRssMb: number }> {
  const started = performance.now();
  const server = spawn(
    process.execPath,
    [
      path.join("node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(PORT),
      "-H",
      "127.0.0.1",
    ],
    {
      stdio: process.env.BENCH_VERBOSE ? "inherit" : "ignore",
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_DIST_DIR: DIST_DIR,
        SANDBOX: "1",
        APP_URL: `http://127.0.0.1:${PORT}`,
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: "",
        ...env,
      },
    },
  );
  try {
    const firstPageMs = await firstOk(`http://127.0.0.1:${PORT}/login`, started, server);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return { firstPageMs, idleRssMb: treeRssMb(server.pid ?? 0) };
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => {
      if (server.exitCode !== null) resolve(undefined);
      server.once("exit", resolve);
      setTimeout(() => {
        server.kill("SIGKILL");
        resolve(undefined);
      }, 15_000).unref();
    });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main() {
  ensureBuild();
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  const databases: string[] = [];
  const restartDir = await mkdtemp(path.join(os.tmpdir(), "startup-restart-"));
  const scenarios: Scenario[] = [
    {
      name: "PGlite, new database, template prepared by npm install",
      env: async (dir) => ({ PGLITE_DIR: path.join(dir, "db") }),
    },
    {
      name: "PGlite, new database, no template (initdb at start)",
      env: async (dir) => ({ PGLITE_DIR: path.join(dir, "db"), PGLITE_TEMPLATE_DIR: "0" }),
    },
    {
      name: "PGlite, restart on an existing database",
      env: async () => ({ PGLITE_DIR: path.join(restartDir, "db") }),
    },
    {
      name: "PGlite, stock shared_buffers=128MB (PGLITE_CONF), restart",
      env: async () => ({ PGLITE_DIR: path.join(restartDir, "db"), PGLITE_CONF: "shared_buffers=128MB" }),
    },
    {
      name: "Postgres, new database",
      env: async (_dir, run) => {
        const name = `bench_startup_${process.pid}_${run}`;
        await admin.unsafe(`create database ${name}`);
        databases.push(name);
        const url = new URL(POSTGRES_URL);
        url.pathname = `/${name}`;
        return { DATABASE_URL: url.toString() };
      },
    },
  ];
  // The restart scenarios need the database to exist first.
  await runOnce({ PGLITE_DIR: path.join(restartDir, "db") });
  console.log(
    `\nstartup benchmark: next start (production build, SANDBOX=1, shipped defaults otherwise), ${RUNS} runs each, RSS after ${IDLE_MS / 1000} s idle\n`,
  );
  try {
    for (const scenario of scenarios) {
      const firstPage: number[] = [];
      const rss: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const dir = await mkdtemp(path.join(os.tmpdir(), "startup-"));
        try {
          const result = await runOnce(await scenario.env(dir, run));
          firstPage.push(result.firstPageMs);
          rss.push(result.idleRssMb);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
      const load = os.loadavg().map((l) => l.toFixed(2));
      console.log(
        `${scenario.name.padEnd(64)} first page median ${(median(firstPage) / 1000).toFixed(1)} s [${firstPage
          .map((ms) => (ms / 1000).toFixed(1))
          .join(", ")}]  idle RSS median ${median(rss)} MB [${rss.join(", ")}]  load ${load.join("/")}`,
      );
    }
  } finally {
    for (const name of databases) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
    await rm(restartDir, { recursive: true, force: true });
  }
  console.log(
    `\n${os.cpus().length} CPUs; load average (1/5/15 min) ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")}`,
  );
}

await main();
