/**
 * e-conomic client overhead: calls per second and p50/p99 latency of `client.customers.get(1)`
 * next to a bare `fetch` + `res.json()` of the same URL, against the sandbox served in-process
 * (PGlite in memory, or a fresh database on DATABASE_URL's server), at concurrency 1 and 16.
 *
 *   npm run bench:economic          BENCH_REQUESTS=5000 npm run bench:economic
 *
 * Both sides share the process and the sandbox, so the ratio (client/bare) isolates what the client
 * adds: schema parsing, time-out signals, the retry wrapper and the onCall hook.
 */
import { performance } from "node:perf_hooks";
import { EconomicClient } from "@/lib/economic/client";
import { createEconomicSandbox } from "@/lib/sandbox/economic/handler";
import { createTestDb } from "@/test/support/db";
import { serve } from "@/test/support/http";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARMUP = Math.min(300, REQUESTS);
const CONCURRENCY = [1, 16];

interface Result {
  callsPerSecond: number;
  p50: number;
  p99: number;
}

async function run(call: () => Promise<unknown>, total: number, concurrency: number): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { callsPerSecond: (total / elapsed) * 1000, p50: at(0.5), p99: at(0.99) };
}

/**
 * Best of two rounds each, run as bare, client, client, bare: the sandbox's database warms up over
 * time, and a fixed order would credit that to whichever side runs last.
 */
async function compare(
  bare: () => Promise<unknown>,
  client: () => Promise<unknown>,
  concurrency: number,
): Promise<{ bare: Result; client: Result }> {
  const b1 = await run(bare, REQUESTS, concurrency);
  const c1 = await run(client, REQUESTS, concurrency);
  const c2 = await run(client, REQUESTS, concurrency);
  const b2 = await run(bare, REQUESTS, concurrency);
  const faster = (x: Result, y: Result) => (x.callsPerSecond >= y.callsPerSecond ? x : y);
  return { bare: faster(b1, b2), client: faster(c1, c2) };
}

async function main(): Promise<void> {
  const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
  const db = await createTestDb(kind);
  const server = await serve(createEconomicSandbox({ db: async () => db.db }));
  try {
    const base = `${server.url}/sandbox/economic`;
    const agreement = (await (await fetch(`${base}/agreements`, { method: "POST" })).json()) as {
      agreementGrantToken: string;
    };
    const token = agreement.agreementGrantToken;
    let hookCalls = 0;
    const client = new EconomicClient({
      restBase: base,
      productsBase: `${base}/productsapi/v1.1.0`,
      projectsBase: `${base}/projectsapi/v1.1.0`,
      appSecretToken: "sandbox",
      agreementGrantToken: token,
      onCall: () => {
        hookCalls++;
      },
    });
    await client.customers.create({
      customerNumber: 1,
      name: "Bench Kunde A/S",
      currency: "DKK",
      customerGroup: { customerGroupNumber: 1 },
      paymentTerms: { paymentTermsNumber: 1 },
      vatZone: { vatZoneNumber: 1 },
    });

    const url = `${base}/customers/1`;
    const headers = {
      "X-AppSecretToken": "sandbox",
      "X-AgreementGrantToken": token,
      Accept: "application/json",
    };
    const bare = async () => {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`bare fetch answered ${res.status}`);
      return res.json();
    };
    const viaClient = () => client.customers.get(1);

    await run(bare, WARMUP, 4);
    await run(viaClient, WARMUP, 4);

    const rows: string[][] = [];
    for (const concurrency of CONCURRENCY) {
      const { bare: b, client: c } = await compare(bare, viaClient, concurrency);
      const f = (n: number, digits = 2) => n.toFixed(digits);
      rows.push(["bare fetch", String(concurrency), f(b.callsPerSecond, 0), f(b.p50), f(b.p99), ""]);
      rows.push([
        "client",
        String(concurrency),
        f(c.callsPerSecond, 0),
        f(c.p50),
        f(c.p99),
        `${f(b.callsPerSecond / c.callsPerSecond)}x time/call, p50 ${f(c.p50 / b.p50)}x, p99 ${f(c.p99 / b.p99)}x`,
      ]);
    }

    const header = ["GET /customers/1", "conc.", "calls/s", "p50 ms", "p99 ms", "client/bare"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
    console.log(
      `\ne-conomic client vs bare fetch, sandbox on ${kind}, ${REQUESTS} requests per run (best of 2)\n`,
    );
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows) console.log(line(row));
    console.log(`\nonCall hook saw ${hookCalls} calls.`);
  } finally {
    await server.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
