import { spawn } from "node:child_process";

/** For every `next build`: builds make no request anywhere (Next would send usage telemetry). */
export const NEXT_BUILD_ENV = { NEXT_TELEMETRY_DISABLED: "1" };

/** Runs a command with inherited output; resolves to its exit code. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function runOrExit(command: string, args: string[], env?: Record<string, string>) {
  const code = await run(command, args, env);
  if (code !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed with exit code ${code}`);
    process.exit(code);
  }
}

export function log(message: string): void {
  console.log(`\x1b[36m[vlabs]\x1b[0m ${message}`);
}
