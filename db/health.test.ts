import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { resetEnvCache } from "@/lib/env";
import { createTestDb, dbKinds } from "@/test/support/db";
import { DatabaseUnavailableError, isDatabaseUnavailable, resetDbHandle } from "./client";

/**
 * /api/health answers 503 while the process-wide database cannot be opened, and 200 as soon as it
 * can, in the same process (no restart): the server started before its database.
 */
async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await GET();
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Asks until the answer is 200 (the first open also migrates, which may outlast one probe). */
async function healthWhenUp(timeoutMs = 30_000): Promise<{ status: number; body: Record<string, unknown> }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await health();
    if (answer.status === 200 || Date.now() > until) return answer;
    expect(answer.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function setEnv(values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}

describe("health check", () => {
  const saved = { ...process.env };
  afterEach(async () => {
    await resetDbHandle();
    process.env = { ...saved };
    resetEnvCache();
  });

  async function pgliteDownThenUp() {
    const dir = await mkdtemp(path.join(tmpdir(), "health-"));
    try {
      // A file where the database's folder must go: opening fails until it is gone.
      const blocker = path.join(dir, "blocked");
      await writeFile(blocker, "not a folder");
      setEnv({ DATABASE_URL: undefined, PGLITE_DIR: path.join(blocker, "db", "pglite") });
      await resetDbHandle();
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: "error", database: "unavailable", reason: "database_unreachable" });

      await rm(blocker);
      const up = await healthWhenUp();
      expect(up.status).toBe(200);
      expect(up.body).toEqual({ status: "ok", database: "ok" });
    } finally {
      await resetDbHandle();
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Nothing answers at the database's address until a proxy to the real server starts on it. */
  async function postgresDownThenUp() {
    {
      const db = await createTestDb("postgres");
      const real = new URL(db.url!);
      // A port that refuses connections until the "database" (a proxy to the real one) starts on it.
      const proxy: Server = createServer((client) => {
        const upstream = new Socket();
        upstream.connect(Number(real.port || 5432), real.hostname);
        client.pipe(upstream).pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on("error", close);
        upstream.on("error", close);
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      const port = (proxy.address() as { port: number }).port;
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      const viaProxy = new URL(db.url!);
      viaProxy.hostname = "127.0.0.1";
      viaProxy.port = String(port);
      try {
        setEnv({ DATABASE_URL: viaProxy.toString() });
        await resetDbHandle();
        const down = await health();
        expect(down.status).toBe(503);
        expect(down.body.reason).toBe("database_unreachable");

        await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
        const up = await healthWhenUp();
        expect(up.status).toBe(200);
      } finally {
        await resetDbHandle();
        await new Promise<void>((resolve) => proxy.close(() => resolve()));
        await db.close();
      }
    }
  }

  it.each(dbKinds)(
    "%s: 503 with the reason while the database is down, then 200 as it comes up, without a restart",
    async (kind) => {
      await (kind === "pglite" ? pgliteDownThenUp() : postgresDownThenUp());
    },
    60_000,
  );
});

describe("isDatabaseUnavailable", () => {
  it("finds the database not answering however a library wrapped it, and nothing else", () => {
    const down = new DatabaseUnavailableError(new Error("connect ECONNREFUSED"));
    expect(isDatabaseUnavailable(down)).toBe(true);
    // Auth.js wraps what authorize() threw as { cause: { err } }.
    expect(isDatabaseUnavailable(new Error("CallbackRouteError", { cause: { err: down } }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error("q", { cause: Object.assign(new Error(), { code: "57P01" }) })),
    ).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("dup"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("wrong password"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
