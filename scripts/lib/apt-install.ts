import { existsSync } from "node:fs";
import { log, run } from "./run";

export interface DebianNeed {
  /** What the files are for, for messages: "Firefox ESR for the end-to-end tests". */
  what: string;
  /** Debian packages that provide the files. */
  packages: string[];
  /** Files that must exist afterwards; any missing one triggers the install. */
  files: string[];
}

/**
 * Installs Debian packages with apt when a file they provide is missing; nothing is downloaded
 * from anywhere but Debian's archive. Returns false (after saying what to do) when it cannot.
 */
export async function ensureDebianPackages(need: DebianNeed): Promise<boolean> {
  if (need.files.every((file) => existsSync(file))) return true;
  log(`${need.what}: installing Debian's ${need.packages.join(", ")} with apt`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const ok =
    (await run("apt-get", ["update"], env)) === 0 &&
    (await run("apt-get", ["install", "-y", "--no-install-recommends", ...need.packages], env)) ===
      0;
  const missing = need.files.filter((file) => !existsSync(file));
  if (ok && missing.length === 0) return true;
  console.error(
    `Could not install ${need.what}: ${missing.join(", ")} missing.\n` +
      `  Run 'apt-get update && apt-get install -y ${need.packages.join(" ")}' as root.`,
  );
  return false;
}
