/**
 * Webhook intake cost: deliveries per second and p50/p99 latency of `POST /api/rackbeat/webhooks`
 * next to the no-op route `POST /api/noop` of the same production server in the same run, at 1, 16
 * and 64 concurrent senders over loopback. The ratio (intake rate / no-op rate) is what our work
 * costs on top of Next's routing, middleware and body handling. Goal: ratio ≥ 0.5 and p99 ≤ 50 ms
 * at 16.
 *
 *   npm run bench:ingest            BENCH_REQUESTS=4000 BENCH_SECONDS=20 npm run bench:ingest
 *
 * Builds into NEXT_DIST_DIR (.next-bench) when that has no build, creates a fresh database on
 * DATABASE_URL's server (local Postgres by default), starts `next start` with SANDBOX=1 and
 * WORKER=0 (no worker competes for the CPU), sets up one company with a known webhook token
 * directly in the database, and drops the database and stops the server at the end. Every
 * delivery names a new invoice, so each one inserts a transfer and its event.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";

process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";

const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench";
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
/** Each measured run stops after this long even if not all its requests were sent. */
const MAX_RUN_MS = Number(process.env.BENCH_SECONDS ?? 15) * 1000;
const CONCURRENCY = [1, 16, 64];
const TOKEN = "BenchBenchBenchBenchBenchBench01";
const ACCOUNT_ID = "990001";
const EVENT = "invoice.booked";

interface Result {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU time of the server's processes per request (Linux only; NaN elsewhere). */
  cpuMs: number;
}

/** User + system CPU time (ms) of every process in a process group, from /proc (Linux). */
function groupCpuMs(pgid: number | undefined): number {
  if (pgid === undefined || !existsSync("/proc")) return Number.NaN;
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      total += (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

let serverGroup: number | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ensureBuild(): void {
  if (existsSync(path.join(DIST_DIR, "BUILD_ID"))) return;
  console.log(`No build in ${DIST_DIR}: building (next build)…`);
  const built = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NODE_ENV: "production" },
  });
  if (built.status !== 0) throw new Error(`next build failed (exit ${built.status})`);
}

function post(
  agent: http.Agent,
  port: number,
  urlPath: string,
  headers: Record<string, string>,
  body: string,
) {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        method: "POST",
        agent,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function run(call: () => Promise<number>, total: number, concurrency: number): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = groupCpuMs(serverGroup);
  const started = performance.now();
  const deadline = started + MAX_RUN_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total && performance.now() < deadline) {
        next++;
        const t0 = performance.now();
        const status = await call();
        latencies.push(performance.now() - t0);
        if (status !== 202) throw new Error(`expected 202, got ${status}`);
      }
    }),
  );
  const elapsed = performance.now() - started;
  const cpuMs = (groupCpuMs(serverGroup) - cpuBefore) / Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    count: latencies.length,
    perSecond: (latencies.length / elapsed) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    cpuMs,
  };
}

async function waitForHealth(port: number, server: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the server did not become healthy in time");
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.pid === undefined) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-server.pid!, "SIGKILL");
    } catch {
      // gone already
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  ensureBuild();
  // Imported after the environment is settled (the db module reads it lazily anyway).
  const { createTestDb } = await import("@/test/support/db");
  const { companies, companyIntegrations } = await import("@/db/schema");
  const { hashToken } = await import("@/lib/crypto/secrets");

  const database = await createTestDb("postgres");
  const port = await freePort();
  let server: ChildProcess | undefined;
  const log: string[] = [];
  try {
    const [company] = await database.db.insert(companies).values({ name: "Bench ApS" }).returning();
    await database.db.insert(companyIntegrations).values({
      companyId: company!.id,
      rackbeatAccountId: ACCOUNT_ID,
      rackbeatWebhookTokenHash: hashToken(TOKEN),
      rackbeatWebhookEvents: [EVENT],
    });

    server = spawn(
      path.join("node_modules", ".bin", "next"),
      ["start", "-p", String(port), "-H", "127.0.0.1"],
      {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          NODE_ENV: "production",
          NEXT_DIST_DIR: DIST_DIR,
          DATABASE_URL: database.url,
          SANDBOX: "1",
          WORKER: "0",
          APP_URL: `http://127.0.0.1:${port}`,
        },
      },
    );
    serverGroup = server.pid;
    const keep = (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.length > 200) log.shift();
    };
    server.stdout?.on("data", keep);
    server.stderr?.on("data", keep);
    await waitForHealth(port, server);

    const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCY) });
    let invoice = 100_000;
    const hookHeaders = {
      "content-type": "application/json",
      "user-agent": "Rackbeat Webhook",
      "rackbeat-webhook-token": TOKEN,
      "rackbeat-webhook-event": EVENT,
      "rackbeat-account-id": ACCOUNT_ID,
    };
    const intake = () =>
      post(
        agent,
        port,
        "/api/rackbeat/webhooks",
        hookHeaders,
        JSON.stringify({ key_name: "number", key: String(invoice++) }),
      );
    const noop = () =>
      post(
        agent,
        port,
        "/api/noop",
        hookHeaders,
        JSON.stringify({ key_name: "number", key: String(invoice) }),
      );

    // Warm-up: JIT, route compilation caches, the connection pool.
    await run(noop, 400, 8);
    await run(intake, 400, 8);

    console.log(
      `\ningest benchmark: ${REQUESTS} requests per run (≤ ${MAX_RUN_MS / 1000} s), best of two, next start on Postgres\n`,
    );
    const rows: string[][] = [];
    const ratios: { concurrency: number; ratio: number; p99: number }[] = [];
    const f = (n: number, digits = 1) => n.toFixed(digits);
    for (const concurrency of CONCURRENCY) {
      const total = concurrency === 1 ? Math.min(REQUESTS, 1000) : REQUESTS;
      // Alternating order, best of two each: the server warms up over time, and a fixed order
      // would credit that to whichever side runs last.
      const n1 = await run(noop, total, concurrency);
      const i1 = await run(intake, total, concurrency);
      const i2 = await run(intake, total, concurrency);
      const n2 = await run(noop, total, concurrency);
      const best = (x: Result, y: Result) => (x.perSecond >= y.perSecond ? x : y);
      const n = best(n1, n2);
      const i = best(i1, i2);
      const ratio = i.perSecond / n.perSecond;
      ratios.push({ concurrency, ratio, p99: i.p99 });
      rows.push([
        "no-op route",
        String(concurrency),
        String(n.count),
        f(n.perSecond, 0),
        f(n.p50, 2),
        f(n.p99, 2),
        f(n.cpuMs, 2),
        "",
      ]);
      rows.push([
        "webhook intake",
        String(concurrency),
        String(i.count),
        f(i.perSecond, 0),
        f(i.p50, 2),
        f(i.p99, 2),
        f(i.cpuMs, 2),
        f(ratio, 2),
      ]);
    }
    agent.destroy();

    const header = [
      "route",
      "senders",
      "requests",
      "req/s",
      "p50 ms",
      "p99 ms",
      "server CPU ms/req",
      "ratio",
    ];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) =>
      cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    const at16 = ratios.find((r) => r.concurrency === 16)!;
    const met = at16.ratio >= 0.5 && at16.p99 <= 50;
    console.log(
      `\nat 16 senders: ratio ${f(at16.ratio, 2)} (goal ≥ 0.5), p99 ${f(at16.p99, 2)} ms (goal ≤ 50): ${met ? "goal met" : "GOAL MISSED"}`,
    );
  } catch (error) {
    if (log.length > 0) console.error(`server output:\n${log.join("")}`);
    throw error;
  } finally {
    if (server) await stopServer(server);
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
