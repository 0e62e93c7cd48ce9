import { serve, type TestServer } from "@/test/support/http";
import { EconomicClient } from "../client";

/**
 * A stand-in e-conomic for contract tests: answers each request with the documented example for its
 * method and path, and records what the client sent, so a test pins both directions of the wire.
 */
export type Route = { method: string; path: RegExp; status?: number; body: unknown };

export interface Recorder {
  client: EconomicClient;
  sent: { method: string; path: string; headers: Headers; body: unknown }[];
  close(): Promise<void>;
}

export async function recorder(routes: Route[], agreementScope = "4711"): Promise<Recorder> {
  const sent: Recorder["sent"] = [];
  const server: TestServer = await serve(async (request) => {
    const { pathname } = new URL(request.url);
    const text = await request.text();
    sent.push({
      method: request.method,
      path: pathname,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    });
    const route = routes.find((r) => r.method === request.method && r.path.test(pathname));
    if (!route) return Response.json({ message: "not in this contract" }, { status: 404 });
    return Response.json(route.body, { status: route.status ?? 200 });
  });
  const client = new EconomicClient({
    restBase: server.url,
    productsBase: `${server.url}/productsapi/v1.1.0`,
    projectsBase: `${server.url}/projectsapi/v1.1.0`,
    appSecretToken: "app",
    agreementGrantToken: "grant",
    agreementScope,
    retry: { maxAttempts: 1 },
  });
  return { client, sent, close: () => server.close() };
}
