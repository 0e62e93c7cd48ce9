/**
 * What every benchmark shares, one way each: the production build (built once, rebuilt only when
 * a source file is newer), `next start` on a fresh Postgres database, the sandboxes in a process of
 * their own (`npm run sandbox`), `npm run worker` processes, percentiles, the load average, and the
 * printout of every setting a bench changes from the shipped defaults.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sandboxEnv } from "@/lib/sandbox/standalone";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";

export const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench";

// ---------------------------------------------------------------------------------------------
// Figures

/** "load 1.23 / 0.98 / 0.70" (1, 5, 15 minutes): printed beside every figure. */
export function loadAverage(): string {
  return `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")} (${os.cpus().length} cores)`;
}

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles; p99 of fewer than 1,000 samples is flagged by `sampleNote`. */
export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return {
    n: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

/** Empty with ≥ 1,000 samples; else a warning that p99 is (near) the maximum. */
export function sampleNote(n: number): string {
  return n >= 1000 ? "" : ` (only ${n} samples: p99 is close to the maximum)`;
}

/** A table with the first `textColumns` left-aligned and the rest right-aligned. */
export function printTable(rows: Record<string, string>[], textColumns = 1): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < textColumns ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
  console.log(line(columns));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? "")));
}

/** A sample-size knob: the environment variable's number, else the default; printed when changed. */
export function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  if (value !== fallback) console.log(`sample size: ${name}=${value} (default ${fallback})`);
  return value;
}

export interface Setting {
  name: string;
  value: string;
  why: string;
}

/** Prints every setting a bench gives the server other than the shipped default, with why. */
export function printSettings(label: string, settings: Setting[]): void {
  if (settings.length === 0) {
    console.log(`${label}: shipped defaults`);
    return;
  }
  console.log(`${label}: shipped defaults except`);
  for (const s of settings) console.log(`  ${s.name}=${s.value}  (${s.why})`);
}

// ---------------------------------------------------------------------------------------------
// Ports and processes

/** BENCH_PORT_BASE + offset when set (a shared machine hands out port ranges), else any free port. */
export async function benchPort(offset: number): Promise<number> {
  const base = process.env.BENCH_PORT_BASE;
  if (base) return Number(base) + offset;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** User + system CPU time (ms) of every process in a process group, from /proc (Linux; else NaN). */
export function groupCpuMs(pgid: number | undefined): number {
  if (pgid === undefined || !existsSync("/proc")) return Number.NaN;
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      total += (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

export interface Child {
  process: ChildProcess;
  /** Its output so far (the last 200 chunks). */
  output(): string;
  /** CPU ms of its process group so far. */
  cpuMs(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns a command in a process group of its own, keeping its output for when something fails. */
export function spawnChild(command: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(command, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    output: () => log.join(""),
    cpuMs: () => groupCpuMs(child.pid),
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // gone already
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor(check: () => Promise<boolean>, child: Child, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${what} exited:\n${child.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not become ready in time:\n${child.output()}`);
}

// ---------------------------------------------------------------------------------------------
// Build, server, sandboxes, workers

const SOURCES = ["app", "lib", "db", "components", "middleware.ts", "instrumentation.ts", "next.config.mjs"];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) {
    if (child === "node_modules" || child.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** `next build` into DIST_DIR once: again only when a source file is newer than the build. */
export function ensureBuild(): void {
  const stamp = path.join(DIST_DIR, "BUILD_ID");
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map(newestMtime));
  if (built > newest) {
    console.log(`production build: ${DIST_DIR} is up to date`);
    return;
  }
  console.log(
    `production build: ${built ? "sources changed since" : "no build in"} ${DIST_DIR}, next build…`,
  );
  // next build adds the build's types to tsconfig.json's include: put the file back afterwards.
  const tsconfig = readFileSync("tsconfig.json", "utf8");
  const result = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NODE_ENV: "production" },
  });
  writeFileSync("tsconfig.json", tsconfig);
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export interface FreshDb {
  url: string;
  close(): Promise<void>;
}

/** A fresh, migrated Postgres database of DATABASE_URL's server, dropped on close. */
export async function freshPostgres(): Promise<FreshDb & { db: import("@/db/client").Db }> {
  const { createTestDb } = await import("@/test/support/db");
  const handle = await createTestDb("postgres");
  return { url: handle.url!, db: handle.db, close: () => handle.close() };
}

export interface Sandbox extends Child {
  url: string;
  /** The server's variables pointing at this sandbox process (lib/env.ts). */
  env: Record<string, string>;
}

/** `npm run sandbox` as a process of its own (node + tsx, no npm wrapper); its database by extraEnv (SANDBOX_DATABASE_URL), else in-memory PGlite. */
export async function startSandboxProcess(
  port: number,
  extraEnv: Record<string, string> = {},
): Promise<Sandbox> {
  const child = spawnChild(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("scripts", "sandbox.ts")],
    { SANDBOX_PORT: String(port), SANDBOX_HOST: "127.0.0.1", ...extraEnv },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health`)).ok, child, "npm run sandbox");
  return { ...child, url, env: sandboxEnv(url) };
}

export interface Server extends Child {
  url: string;
  port: number;
}

/**
 * `next start` of DIST_DIR on `port` with the given environment (on top of this process's), waiting
 * for /api/health. Pass only what differs from the shipped defaults, and print it (printSettings).
 */
export async function startServer(port: number, env: Record<string, string>): Promise<Server> {
  const child = spawnChild(
    path.join("node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    { NODE_ENV: "production", NEXT_DIST_DIR: DIST_DIR, APP_URL: `http://127.0.0.1:${port}`, ...env },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/api/health`)).ok, child, "next start");
  return { ...child, url, port };
}

/** `npm run worker` as a process of its own, ready when it says it started. */
export async function startWorkerProcess(env: Record<string, string>): Promise<Child> {
  const child = spawnChild(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("scripts", "worker.ts")],
    env,
  );
  await waitFor(async () => /transfer worker \S+ started/.test(child.output()), child, "npm run worker");
  return child;
}

// ---------------------------------------------------------------------------------------------
// Load

export interface LoadResult extends Percentiles {
  perSecond: number;
  /** Server CPU ms per call, when a process group was given (else NaN). */
  cpuMs: number;
}

/**
 * `total` calls from `concurrency` senders (each waits for its answer before the next), stopping
 * early after `maxMs`. `call` throws on a wrong answer.
 */
export async function load(
  call: () => Promise<void>,
  options: { total: number; concurrency: number; maxMs?: number; cpuOf?: Child },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = options.cpuOf?.cpuMs() ?? Number.NaN;
  const started = performance.now();
  const deadline = started + (options.maxMs ?? Number.POSITIVE_INFINITY);
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.total && performance.now() < deadline) {
        next++;
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  const cpuAfter = options.cpuOf?.cpuMs() ?? Number.NaN;
  return {
    ...percentiles(latencies),
    perSecond: (latencies.length / elapsed) * 1000,
    cpuMs: (cpuAfter - cpuBefore) / Math.max(1, latencies.length),
  };
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** Cookies from Set-Cookie headers, as one Cookie header value (name=value; ...). */
function cookiesOf(response: Response, jar: Map<string, string>): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    if (eq > 0) jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
}

/**
 * Signs in over HTTP as a browser would through Auth.js's credentials callback (CSRF token, then
 * the form post) and answers the Cookie header that carries the session.
 */
export async function signIn(serverUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${serverUrl}/api/auth/csrf`);
  cookiesOf(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${serverUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${serverUrl}/review` }),
  });
  await callback.arrayBuffer();
  cookiesOf(callback, jar);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) {
    throw new Error(`sign-in failed: ${callback.status} ${callback.headers.get("location")}`);
  }
  return header();
}
