/**
 * Webhook intake cost: deliveries per second and p50/p99 latency of `POST /api/rackbeat/webhooks`
 * next to the no-op route `POST /api/noop` of the same production server in the same run, at 1, 16
 * and 64 concurrent senders over loopback, once with one commit per delivery
 * (INTAKE_GROUP_COMMIT=0) and once with group commit as shipped (INTAKE_GROUP_COMMIT=1, the
 * default; lib/intake/group-commit.ts), each on a fresh server and database, the same load. The
 * ratio (intake rate / no-op rate) is what our work costs on top of Next's routing, middleware and
 * body handling. Goal at 16 senders: ratio ≥ 0.8, p99 ≤ 50 ms.
 *
 *   npm run bench:ingest
 *   BENCH_REQUESTS=1500 BENCH_SENDERS=16 BENCH_GROUP_COMMIT=1 npm run bench:ingest
 *
 * `next start` of the production build (bench/support.ts builds it once) on a fresh Postgres
 * database of DATABASE_URL's server; one company with a known webhook token is written directly
 * into it. Every delivery names a new invoice, so each one inserts a transfer and its event.
 */
import http from "node:http";
import { companies, companyIntegrations } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import {
  benchPort,
  ensureBuild,
  freshPostgres,
  type LoadResult,
  load,
  loadAverage,
  printSettings,
  printTable,
  sampleNote,
  sizeFromEnv,
  startServer,
} from "./support";

const REQUESTS = sizeFromEnv("BENCH_REQUESTS", 3000);
/** Each measured run stops after this long even if not all its requests were sent. */
const MAX_RUN_MS = sizeFromEnv("BENCH_SECONDS", 20) * 1000;
const SENDERS = (process.env.BENCH_SENDERS ?? "1,16,64").split(",").map(Number);
const MODES = (process.env.BENCH_GROUP_COMMIT ?? "0,1").split(",").map((m) => m.trim());
const TOKEN = "BenchBenchBenchBenchBenchBench01";
const ACCOUNT_ID = "990001";
const EVENT = "invoice.booked";

function post(
  agent: http.Agent,
  port: number,
  urlPath: string,
  headers: Record<string, string>,
  body: string,
) {
  return new Promise<void>((resolve, reject) => {
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
        res.on("end", () =>
          res.statusCode === 202 ? resolve() : reject(new Error(`${urlPath} answered ${res.statusCode}`)),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface ModeResult {
  mode: string;
  rows: Record<string, string>[];
  at16?: { ratio: number; p99: number; load: string };
}

async function measureMode(groupCommit: string): Promise<ModeResult> {
  const database = await freshPostgres();
  const port = await benchPort(1);
  const settings = [
    { name: "SANDBOX", value: "1", why: "the no-op baseline route /api/noop exists in sandbox mode only" },
    { name: "WORKER", value: "0", why: "no transfer worker competes with the intake for the CPU" },
    // Group commit is the shipped default; one commit per delivery is the comparison.
    ...(groupCommit === "1"
      ? []
      : [{ name: "INTAKE_GROUP_COMMIT", value: "0", why: "the comparison: one commit per delivery" }]),
  ];
  const server = await startServer(port, {
    DATABASE_URL: database.url,
    INTAKE_GROUP_COMMIT: groupCommit,
    ...Object.fromEntries(settings.map((s) => [s.name, s.value])),
  });
  try {
    const [company] = await database.db.insert(companies).values({ name: "Bench ApS" }).returning();
    await database.db.insert(companyIntegrations).values({
      companyId: company!.id,
      rackbeatAccountId: ACCOUNT_ID,
      rackbeatWebhookTokenHash: hashToken(TOKEN),
      rackbeatWebhookEvents: [EVENT],
    });
    printSettings(`\nnext start (group commit ${groupCommit === "1" ? "on" : "off"})`, settings);

    const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...SENDERS) });
    let invoice = 100_000;
    const headers = {
      "content-type": "application/json",
      "user-agent": "Rackbeat Webhook",
      "rackbeat-webhook-token": TOKEN,
      "rackbeat-webhook-event": EVENT,
      "rackbeat-account-id": ACCOUNT_ID,
    };
    const body = () => JSON.stringify({ key_name: "number", key: String(invoice++) });
    const intake = () => post(agent, port, "/api/rackbeat/webhooks", headers, body());
    const noop = () => post(agent, port, "/api/noop", headers, body());

    // Warm-up: JIT, route caches, the connection pool.
    await load(noop, { total: 400, concurrency: 8 });
    await load(intake, { total: 400, concurrency: 8 });

    const rows: Record<string, string>[] = [];
    let at16: ModeResult["at16"];
    const f = (n: number, digits = 1) => n.toFixed(digits);
    for (const concurrency of SENDERS) {
      const total = concurrency === 1 ? Math.min(REQUESTS, 1000) : REQUESTS;
      const run = (call: () => Promise<void>) =>
        load(call, { total, concurrency, maxMs: MAX_RUN_MS, cpuOf: server });
      // Alternating order, best of two each: the server warms up over time, and a fixed order
      // would credit that to whichever side runs last.
      const n1 = await run(noop);
      const i1 = await run(intake);
      const i2 = await run(intake);
      const n2 = await run(noop);
      const best = (x: LoadResult, y: LoadResult) => (x.perSecond >= y.perSecond ? x : y);
      const n = best(n1, n2);
      const i = best(i1, i2);
      const ratio = i.perSecond / n.perSecond;
      const loadNow = loadAverage();
      if (concurrency === 16) at16 = { ratio, p99: i.p99, load: loadNow };
      for (const [route, r] of [
        ["no-op route", n],
        ["webhook intake", i],
      ] as const) {
        rows.push({
          route,
          senders: String(concurrency),
          requests: String(r.n),
          "req/s": f(r.perSecond, 0),
          "p50 ms": f(r.p50, 2),
          "p99 ms": f(r.p99, 2),
          "server CPU ms/req": f(r.cpuMs, 2),
          ratio: route === "webhook intake" ? f(ratio, 2) : "",
          load: loadNow,
        });
        if (r.n < 1000) console.log(`${route} at ${concurrency}: ${sampleNote(r.n)}`);
      }
    }
    agent.destroy();
    return { mode: groupCommit, rows, ...(at16 ? { at16 } : {}) };
  } catch (error) {
    console.error(`server output:\n${server.output()}`);
    throw error;
  } finally {
    await server.stop();
    await database.close();
  }
}

async function main(): Promise<void> {
  ensureBuild();
  console.log(
    `\ningest benchmark: ${REQUESTS} requests per run (≤ ${MAX_RUN_MS / 1000} s), best of two, next start on Postgres, ${loadAverage()}`,
  );
  const results: ModeResult[] = [];
  for (const mode of MODES) results.push(await measureMode(mode));
  for (const r of results) {
    console.log(
      `\nINTAKE_GROUP_COMMIT=${r.mode}${r.mode === "1" ? " (shipped: group commit)" : " (one commit per delivery)"}`,
    );
    printTable(r.rows);
  }
  console.log("");
  for (const r of results) {
    if (!r.at16) continue;
    const met = r.at16.ratio >= 0.8 && r.at16.p99 <= 50;
    console.log(
      `at 16 senders, INTAKE_GROUP_COMMIT=${r.mode}: ratio ${r.at16.ratio.toFixed(2)} (goal ≥ 0.8), p99 ${r.at16.p99.toFixed(2)} ms (goal ≤ 50): ${met ? "goal met" : "GOAL MISSED"} [${r.at16.load}]`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
