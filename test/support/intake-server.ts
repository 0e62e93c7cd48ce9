import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

/** The intake in a real process of its own (intake-process.ts), to be killed by a test. */
export interface IntakeProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | string>;
}

export async function startIntakeProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<IntakeProcess> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("test", "support", "intake-process.ts")],
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
  const until = Date.now() + timeoutMs;
  for (;;) {
    const match = /intake listening on (\S+)/.exec(output);
    if (match) return { child, url: match[1]!, exited };
    if (child.exitCode !== null || Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`intake process did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
