import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

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
): Promise<RunningServer> {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"], detached: true });
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

export function startProductionServer(port: number): Promise<RunningServer> {
  return startServer("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], port);
}
