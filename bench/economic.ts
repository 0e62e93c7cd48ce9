/**
 * e-conomic client overhead: calls per second and p50/p99 latency of `client.customers.get(1)`
 * (lib/economic) next to a bare `fetch` + `res.json()` of the same URL, at 1 and 16 concurrent
 * callers, against two servers, each in a process of its own:
 *   trivial   bench/fixed-server.ts answers the customer's JSON at once: the ratio client/bare is
 *             what the client adds (schema parsing, time-out signals, the retry wrapper, onCall).
 *   sandbox   `npm run sandbox` (its own Postgres database): the same calls against the e-conomic sandbox,
 *             reported separately (the sandbox's own cost, not the client's).
 *
 *   npm run bench:economic          BENCH_REQUESTS=5000 npm run bench:economic
 */
import { EconomicClient } from "@/lib/economic/client";
import {
  benchPort,
  freshPostgres,
  type LoadResult,
  load,
  loadAverage,
  printTable,
  sampleNote,
  sizeFromEnv,
  spawnChild,
  startSandboxProcess,
} from "./support";

const REQUESTS = sizeFromEnv("BENCH_REQUESTS", 2000);
const WARMUP = Math.min(300, REQUESTS);
const CONCURRENCY = [1, 16];

/** Best of two rounds each, run bare, client, client, bare: a fixed order would favour the last. */
async function compare(bare: () => Promise<void>, client: () => Promise<void>, concurrency: number) {
  const run = (call: () => Promise<void>) => load(call, { total: REQUESTS, concurrency });
  const b1 = await run(bare);
  const c1 = await run(client);
  const c2 = await run(client);
  const b2 = await run(bare);
  const faster = (x: LoadResult, y: LoadResult) => (x.perSecond >= y.perSecond ? x : y);
  return { bare: faster(b1, b2), client: faster(c1, c2) };
}

async function measure(label: string, base: string, token: string): Promise<Record<string, string>[]> {
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
  const url = `${base}/customers/1`;
  const headers = {
    "X-AppSecretToken": "sandbox",
    "X-AgreementGrantToken": token,
    Accept: "application/json",
  };
  const bare = async () => {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`bare fetch answered ${res.status}`);
    await res.json();
  };
  const viaClient = async () => {
    await client.customers.get(1);
  };
  await load(bare, { total: WARMUP, concurrency: 4 });
  await load(viaClient, { total: WARMUP, concurrency: 4 });
  const rows: Record<string, string>[] = [];
  const f = (n: number, digits = 2) => n.toFixed(digits);
  for (const concurrency of CONCURRENCY) {
    const { bare: b, client: c } = await compare(bare, viaClient, concurrency);
    const loadNow = loadAverage();
    for (const [who, r] of [
      ["bare fetch", b],
      ["client", c],
    ] as const) {
      rows.push({
        server: label,
        caller: who,
        conc: String(concurrency),
        calls: String(r.n),
        "calls/s": f(r.perSecond, 0),
        "p50 ms": f(r.p50),
        "p99 ms": f(r.p99),
        "client/bare time per call": who === "client" ? f(b.perSecond / c.perSecond) : "",
        load: loadNow,
      });
      if (r.n < 1000) console.log(`${label} ${who}: ${sampleNote(r.n)}`);
    }
  }
  if (hookCalls === 0) throw new Error("the client's onCall hook saw no call");
  return rows;
}

async function main(): Promise<void> {
  console.log(`e-conomic client vs bare fetch, ${REQUESTS} calls per run (best of 2), ${loadAverage()}`);
  const sandboxDb = await freshPostgres();
  const sandbox = await startSandboxProcess(await benchPort(2), { SANDBOX_DATABASE_URL: sandboxDb.url });
  let fixed: ReturnType<typeof spawnChild> | undefined;
  try {
    const base = `${sandbox.url}/sandbox/economic`;
    const agreement = (await (await fetch(`${base}/agreements`, { method: "POST" })).json()) as {
      agreementGrantToken: string;
    };
    const token = agreement.agreementGrantToken;
    const setup = new EconomicClient({
      restBase: base,
      productsBase: `${base}/productsapi/v1.1.0`,
      projectsBase: `${base}/projectsapi/v1.1.0`,
      appSecretToken: "sandbox",
      agreementGrantToken: token,
    });
    await setup.customers.create({
      customerNumber: 1,
      name: "Bench Kunde A/S",
      currency: "DKK",
      customerGroup: { customerGroupNumber: 1 },
      paymentTerms: { paymentTermsNumber: 1 },
      vatZone: { vatZoneNumber: 1 },
    });
    // The trivial server answers exactly what the sandbox answers for this customer.
    const customerJson = await (
      await fetch(`${base}/customers/1`, {
        headers: { "X-AppSecretToken": "sandbox", "X-AgreementGrantToken": token },
      })
    ).text();
    const fixedPort = await benchPort(3);
    fixed = spawnChild(process.execPath, ["--import", "tsx", "bench/fixed-server.ts"], {
      PORT: String(fixedPort),
      FIXED_BODY: customerJson,
    });
    while (!/listening/.test(fixed.output())) await new Promise((r) => setTimeout(r, 50));

    const rows = [
      ...(await measure("trivial", `http://127.0.0.1:${fixedPort}`, token)),
      ...(await measure("sandbox", base, token)),
    ];
    console.log("");
    printTable(rows, 2);
    console.log(
      "\ntrivial: what the client adds over fetch; sandbox: the sandbox process (on Postgres) answering, reported apart.",
    );
  } finally {
    await fixed?.stop();
    await sandbox.stop();
    await sandboxDb.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
