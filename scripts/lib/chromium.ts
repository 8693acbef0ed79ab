import { existsSync } from "node:fs";
import { log, run } from "./run";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless Debian Chromium as root, with none of its background calls to other hosts. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Installs Debian's Chromium with apt when it is missing; nothing is downloaded from elsewhere. */
export async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM_PATH)) return;
  log(`${CHROMIUM_PATH} is missing: installing Debian's chromium package with apt`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const ok =
    (await run("apt-get", ["update"], env)) === 0 &&
    (await run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], env)) === 0;
  if (!ok || !existsSync(CHROMIUM_PATH)) {
    console.error(
      `Could not install Chromium. The end-to-end tests need Debian's chromium package at ${CHROMIUM_PATH}:\n` +
        "  run 'apt-get update && apt-get install -y chromium' as root, or set CHROMIUM_PATH to a Chromium binary.",
    );
    process.exit(1);
  }
}
