import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`server at ${url} did not answer within ${timeoutMs} ms`);
}

/** Starts a command that serves HTTP on a port, and waits until it answers. */
export async function startServer(
  command: string,
  args: string[],
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServer> {
  const child = spawn(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
    env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, child, 60_000);
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        process.kill(-child.pid!, "SIGTERM");
      }),
  };
}

/**
 * What `npm start` serves (scripts/serve.ts: the build with its security and isolation headers),
 * with its live-class database in a folder of its own unless CLASS_DATA_DIR says where: one
 * embedded database folder serves one process, and a bench or a tool may run beside `npm start`.
 */
export function startProductionServer(
  port: number,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const dataDir = process.env.CLASS_DATA_DIR ?? mkdtempSync(join(tmpdir(), "vlabs-class-"));
  return startServer(
    "npx",
    ["tsx", "scripts/serve.ts", "--port", String(port), "--hostname", "127.0.0.1"],
    port,
    { ...process.env, CLASS_DATA_DIR: dataDir, ...env },
  );
}
