import { spawnSync, type SpawnSyncOptions } from "node:child_process";

export class CommandError extends Error {}

/** Runs a host command, throwing with its stderr when it fails. Returns stdout. */
export function run(cmd: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(cmd, args, {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  if (result.error) throw new CommandError(`${cmd}: ${result.error.message}`);
  if (result.status !== 0) {
    const stderr = String(result.stderr ?? "")
      .trim()
      .split("\n")
      .slice(-15)
      .join("\n");
    throw new CommandError(`${cmd} ${args.join(" ")} exited with ${result.status}\n${stderr}`);
  }
  return String(result.stdout ?? "");
}

export function hasCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}
