import { ensureDebianPackages } from "./apt-install";

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
  const ok = await ensureDebianPackages({
    what: "Chromium for the end-to-end tests",
    packages: ["chromium"],
    files: [CHROMIUM_PATH],
  });
  if (!ok) {
    console.error("  Or set CHROMIUM_PATH to a Chromium binary.");
    process.exit(1);
  }
}
