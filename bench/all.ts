/**
 * `npm run bench:all`: every benchmark, one after another, each in a process of its own, with the
 * sample sizes below so the whole run fits in 15 minutes on a 2-core machine (each size it changes
 * is printed, by this script and by the bench). The production build is made once, first.
 *
 *   npm run bench:all                    BENCH_ONLY=ingest,review npm run bench:all
 */
import { spawnSync } from "node:child_process";
import { ensureBuild, loadAverage } from "./support";

const BUDGET_MINUTES = 15;

const BENCHES: { name: string; script: string; env: Record<string, string>; why?: string }[] = [
  { name: "ingest", script: "bench/ingest.ts", env: { BENCH_REQUESTS: "1000" } },
  { name: "economic", script: "bench/economic.ts", env: { BENCH_REQUESTS: "1000" } },
  {
    name: "transfer",
    script: "bench/transfer.ts",
    env: { BENCH_INVOICES: "200" },
    why: "3 scenarios of a fresh server, sandbox and database each",
  },
  {
    name: "review",
    script: "bench/review.ts",
    env: { BENCH_ROWS: "100000", BENCH_HTTP_RUNS: "300" },
    why: "seeding a million rows alone takes minutes",
  },
  { name: "sweep", script: "bench/sweep.ts", env: { BENCH_HISTORY: "2000", BENCH_SWEEPS: "10" } },
  { name: "sync", script: "bench/sync.ts", env: { BENCH_RECORDS: "200" } },
  { name: "claim", script: "bench/claim.ts", env: {} },
  { name: "wakeup", script: "bench/wakeup.ts", env: {} },
  { name: "startup", script: "bench/startup.ts", env: {} },
  { name: "dev-start", script: "bench/dev-start.ts", env: {} },
];

/** The Postgres server the benches that need one use (claim and wakeup compare it, or need it). */
const POSTGRES_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function main(): void {
  const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
  const started = Date.now();
  console.log(`bench:all, ${loadAverage()}; DATABASE_URL=${POSTGRES_URL} for the benches that use Postgres`);
  ensureBuild();
  const summary: string[] = [];
  for (const bench of BENCHES) {
    if (only && !only.includes(bench.name)) continue;
    const sizes = Object.entries(bench.env)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    console.log(
      `\n=== bench:${bench.name}${sizes ? ` with ${sizes} (smaller than its default${bench.why ? `: ${bench.why}` : ""})` : ""} ===`,
    );
    const t0 = Date.now();
    const port = process.env.BENCH_PORT_BASE ? { PORT: String(Number(process.env.BENCH_PORT_BASE) + 5) } : {};
    const result = spawnSync(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", bench.script],
      {
        stdio: "inherit",
        env: {
          ...process.env,
          DATABASE_URL: POSTGRES_URL,
          ...(bench.name === "dev-start" ? port : {}),
          ...bench.env,
        },
      },
    );
    const seconds = (Date.now() - t0) / 1000;
    const line = `bench:${bench.name}: ${result.status === 0 ? "ok" : `FAILED (exit ${result.status})`} in ${seconds.toFixed(0)} s, ${loadAverage()}`;
    console.log(line);
    summary.push(line);
  }
  const minutes = (Date.now() - started) / 60_000;
  console.log(`\n${summary.join("\n")}`);
  console.log(
    `\nbench:all took ${minutes.toFixed(1)} min (budget ${BUDGET_MINUTES}): ${minutes <= BUDGET_MINUTES ? "within" : "OVER"} budget, ${loadAverage()}`,
  );
  if (summary.some((l) => l.includes("FAILED"))) process.exitCode = 1;
}

main();
