/**
 * A bench company over HTTP, as a customer's would be: an agreement in the e-conomic sandbox, an
 * account in the Rackbeat sandbox with our webhook registered, and the company's integration row
 * (encrypted with this process's ENCRYPTION_KEY, which the server under test must share: BENCH_SECRETS).
 * And the stack a scenario runs on (startStack). Used by bench:transfer and bench:wakeup.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { companies, companyIntegrations, companySettings } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { RackbeatClient } from "@/lib/rackbeat";
import { RACKBEAT_INVOICE_BOOKED_EVENT } from "@/lib/rackbeat/webhook";
import { sandboxConnection, testSettings } from "@/test/support/sandboxes";
import {
  benchPort,
  type Child,
  freshPostgres,
  printSettings,
  type Sandbox,
  type Server,
  type Setting,
  startSandboxProcess,
  startServer,
  startWorkerProcess,
} from "./support";

// Production needs these secrets; the bench makes its own (the bench writes encrypted API keys the
// server must read, so both use the same key).
export const BENCH_SECRETS = {
  AUTH_SECRET: randomBytes(24).toString("hex"),
  ENCRYPTION_KEY: randomBytes(24).toString("hex"),
  ECONOMIC_APP_SECRET_TOKEN: "sandbox",
};
Object.assign(process.env, BENCH_SECRETS);
resetEnvCache();

export interface Company {
  companyId: string;
  rackbeat: RackbeatClient;
  post(path: string, body: unknown): Promise<unknown>;
}

export async function createCompany(
  db: Db,
  sandbox: Sandbox,
  serverUrl: string,
  index: number,
  /** Every e-conomic call of this company's agreement answered after this many ms (a sandbox fault plan). */
  economicDelayMs = 0,
): Promise<Company> {
  const name = `Bench ${index} ApS`;
  const json = async (res: Response) => {
    if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const agreement = (await json(
    await fetch(`${sandbox.url}/sandbox/economic/agreements`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ companyName: name }),
    }),
  )) as { agreementGrantToken: string; agreementNumber: number; companyName: string };
  const account = (await json(
    await fetch(`${sandbox.url}/sandbox/rackbeat/accounts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    }),
  )) as { apiKey: string; accountId: number };
  const rackbeat = new RackbeatClient({
    apiKey: account.apiKey,
    consumer: { name: "bench", contact: "bench@example.com" },
    baseUrl: sandbox.env.RACKBEAT_API_URL!,
  });
  const webhook = await rackbeat.registerWebhookWithToken({
    event: RACKBEAT_INVOICE_BOOKED_EVENT,
    url: `${serverUrl}/api/rackbeat/webhooks`,
  });
  const [company] = await db.insert(companies).values({ name }).returning();
  const companyId = company!.id;
  await db.insert(companyIntegrations).values({
    companyId,
    ...sandboxConnection(agreement, account, name, webhook),
    defaultLayoutNumber: 19,
    defaultPaymentTermsNumber: 1,
    senderEmail: "faktura@bench.dk",
    activated: true,
    activatedAt: new Date(),
  });
  await db
    .insert(companySettings)
    .values({ companyId, version: 1, values: { ...testSettings, bookWhenBookedInRackbeat: true } });
  const post = async (path: string, body: unknown) =>
    json(
      await fetch(`${sandbox.env.RACKBEAT_API_URL}${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${account.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  if (economicDelayMs > 0) {
    const res = await fetch(
      `${sandbox.url}/sandbox/economic/agreements/${encodeURIComponent(agreement.agreementGrantToken)}/faults`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ delayMs: economicDelayMs }),
      },
    );
    await json(res);
  }
  return { companyId, rackbeat, post };
}

export interface Stack {
  /** The server's database (fresh, migrated Postgres). */
  database: Awaited<ReturnType<typeof freshPostgres>>;
  sandbox: Sandbox;
  server: Server;
  workers: Child[];
  /** Runs `body`; on failure prints the processes' output; always stops and drops everything. */
  run<T>(body: () => Promise<T>): Promise<T>;
}

/**
 * What ships, for one scenario: `next start` on a fresh Postgres database, the sandboxes in a
 * process of their own (on a Postgres database of their own: on PGlite, one thread, they and not
 * the server would set the pace), and `workers` `npm run worker` processes (then WORKER=0 for the
 * server; 0: the server's own worker). Prints each setting it changes; `extra` are passed on too.
 */
export async function startStack(label: string, workers: number, extra: Setting[] = []): Promise<Stack> {
  const database = await freshPostgres();
  const sandboxDb = await freshPostgres();
  const sandbox = await startSandboxProcess(await benchPort(2), { SANDBOX_DATABASE_URL: sandboxDb.url });
  const settings: Setting[] = [
    ...Object.entries(sandbox.env).map(([name, value]) => ({
      name,
      value,
      why: "the sandboxes, served by `npm run sandbox` in a process of their own",
    })),
    ...Object.keys(BENCH_SECRETS).map((name) => ({
      name,
      value: "<bench value>",
      why: "required in production; the bench writes encrypted keys with the same key",
    })),
    ...(workers > 0
      ? [
          {
            name: "WORKER",
            value: "0",
            why: `the transfers are left to ${workers} \`npm run worker\` process(es)`,
          },
        ]
      : []),
    ...extra,
  ];
  const env = Object.fromEntries(settings.map((s) => [s.name, s.value]));
  Object.assign(env, sandbox.env, BENCH_SECRETS, { DATABASE_URL: database.url });
  const server = await startServer(await benchPort(1), env);
  printSettings(`\n${label}: next start`, settings);
  const processes: Child[] = [];
  const { WORKER: _, ...workerEnv } = env;
  for (let i = 0; i < workers; i++) {
    processes.push(await startWorkerProcess({ ...workerEnv, NODE_ENV: "production" }));
  }
  return {
    database,
    sandbox,
    server,
    workers: processes,
    async run(body) {
      try {
        return await body();
      } catch (error) {
        console.error(`server output:\n${server.output()}`);
        for (const w of processes) console.error(`worker output:\n${w.output()}`);
        throw error;
      } finally {
        for (const w of processes) await w.stop();
        await server.stop();
        await sandbox.stop();
        await database.close();
        await sandboxDb.close();
      }
    },
  };
}
