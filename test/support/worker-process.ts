import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

/**
 * `npm run worker` as a real process of its own (node with tsx's loader, no npm/tsx wrapper in
 * between, so a signal reaches the worker itself), for tests of SIGTERM and kill -9.
 */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

export async function startWorkerProcess(
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("scripts", "worker.ts")],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  const until = Date.now() + readyTimeoutMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!/transfer worker \S+ started/.test(output)) {
    if (gone || Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`worker process did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output, exited };
}
