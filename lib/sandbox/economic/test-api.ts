import { createTestDb, type DbKind, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { createEconomicSandbox } from "./handler";

/** Response bodies as the DOM typing of `Response.json()` hands them over. */
export type Json = Awaited<ReturnType<Response["json"]>>;

export interface ApiInit {
  method?: string;
  body?: unknown;
  grant?: string;
  headers?: Record<string, string>;
}

/** The e-conomic sandbox on a real HTTP server with a fresh database, for the sandbox's own tests. */
export interface SandboxHarness {
  base: string;
  newAgreement(body?: object): Promise<{ agreementNumber: number; agreementGrantToken: string }>;
  api(path: string, init: ApiInit & { grant: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startSandbox(kind: DbKind): Promise<SandboxHarness> {
  const t: TestDb = await createTestDb(kind);
  const server: TestServer = await serve(createEconomicSandbox({ db: async () => t.db }));
  const base = `${server.url}/sandbox/economic`;
  return {
    base,
    async newAgreement(body) {
      const res = await fetch(`${base}/agreements`, {
        method: "POST",
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      if (res.status !== 201) throw new Error(`agreement: ${res.status} ${await res.text()}`);
      return res.json();
    },
    api(path, init) {
      return fetch(`${base}${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: {
          "X-AppSecretToken": "sandbox",
          "X-AgreementGrantToken": init.grant,
          ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    },
    async close() {
      await server.close();
      await t.close();
    },
  };
}
