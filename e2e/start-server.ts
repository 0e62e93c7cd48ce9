import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

/**
 * Starts `next start` (the build must exist) on a database of its own: a new Postgres database
 * when DATABASE_URL is set (dropped on exit), else a PGlite directory in a temp folder.
 */
const port = process.argv[2] ?? "3210";
const base = process.env.DATABASE_URL;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  SANDBOX: "1",
  APP_URL: `http://127.0.0.1:${port}`,
  PORT: port,
  // Every test registers its own company from 127.0.0.1.
  REGISTRATIONS_PER_IP: "10000",
};
let cleanup: () => Promise<void>;

if (base) {
  const name = `e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const adminUrl = new URL(base);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  cleanup = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  };
} else {
  const dir = await mkdtemp(path.join(tmpdir(), "e2e-pglite-"));
  env.PGLITE_DIR = path.join(dir, "db");
  cleanup = () => rm(dir, { recursive: true, force: true });
}

const next: ChildProcess = spawn(
  process.execPath,
  [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", port, "-H", "127.0.0.1"],
  { env, stdio: "inherit" },
);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  await cleanup().catch((error) => console.error("e2e database cleanup failed", error));
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 1));
