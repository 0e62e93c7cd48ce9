import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO_ADMIN } from "./fixtures";

/**
 * A production server of its own whose database cannot be opened when it starts (a PGlite folder
 * blocked by a file), with DATABASE_URL set but empty (meaning unset). It must start anyway, say so
 * on /api/health and its pages, become whole once the database can be opened (no restart), and on
 * SIGTERM stop its transfer workers before Next exits.
 */
const port = Number(process.env.E2E_PORT ?? 3210) + 100;
const base = `http://127.0.0.1:${port}`;

test("a server started before its database: health 503 → 200, a Danish page meanwhile, graceful SIGTERM", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dir = await mkdtemp(path.join(tmpdir(), "e2e-db-down-"));
  const blocker = path.join(dir, "blocked");
  await writeFile(blocker, "not a folder");
  let output = "";
  const server: ChildProcess = spawn(
    process.execPath,
    [
      path.join("node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
    {
      env: {
        ...process.env,
        SANDBOX: "1",
        DATABASE_URL: "",
        PGLITE_DIR: path.join(blocker, "db"),
        APP_URL: base,
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  server.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  server.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
  try {
    const health = async () => {
      const res = await fetch(`${base}/api/health`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    await expect
      .poll(async () => (await health().catch(() => ({ status: 0 }))).status, { timeout: 60_000 })
      .toBe(503);
    expect((await health()).body).toEqual({
      status: "error",
      database: "unavailable",
      reason: "database_unreachable",
    });

    // Signing in needs the database: the page says so in Danish, not "wrong password" nor a bare 500.
    await page.goto(`${base}/login`);
    await page.getByLabel("E-mail").fill(DEMO_ADMIN.email);
    await page.getByLabel("Adgangskode").fill(DEMO_ADMIN.password);
    await page.getByRole("button", { name: "Log ind" }).click();
    await expect(page.getByRole("heading", { name: "Databasen svarer ikke" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Prøv igen" })).toBeVisible();

    // The database becomes available: the same server answers 200 and signs in (demo data created).
    await rm(blocker);
    await expect.poll(async () => (await health()).status, { timeout: 60_000 }).toBe(200);
    // The demo data is written by the server's start-up retry (every 2 s) once the database opens,
    // which may be a moment after the health check opened it: sign in until the demo user is there.
    await expect
      .poll(
        async () => {
          await page.goto(`${base}/login`);
          await page.getByLabel("E-mail").fill(DEMO_ADMIN.email);
          await page.getByLabel("Adgangskode").fill(DEMO_ADMIN.password);
          await page.getByRole("button", { name: "Log ind" }).click();
          const signedIn = page.getByRole("button", { name: "Log ud" });
          const refused = page.getByText("Forkert e-mail eller adgangskode.");
          await expect(signedIn.or(refused)).toBeVisible({ timeout: 30_000 });
          return signedIn.isVisible();
        },
        { timeout: 60_000, intervals: [1_000] },
      )
      .toBe(true);

    // An open page keeps a connection that Next's own shutdown waits for.
    await page.close();
    server.kill("SIGTERM");
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve("still running"), 30_000)),
    ]);
    expect(code, output.slice(-2000)).toBe(0);
    expect(output).toMatch(/transfer worker \S+: SIGTERM, stopping/);
    expect(output).toMatch(/transfer worker \S+: stopped/);
  } finally {
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
});
