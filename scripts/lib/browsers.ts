import { ensureDebianPackages } from "./apt-install";
import { CHROMIUM_PATH } from "./chromium";

/** The three browser engines the course is tested in, each from a Debian package. */
export type Engine = "chromium" | "firefox" | "webkit";
export const ENGINES: Engine[] = ["chromium", "firefox", "webkit"];

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
/** WebKitGTK's driver and its small browser, Safari's engine on Linux. */
export const WEBKIT_DRIVER_PATH = "/usr/bin/WebKitWebDriver";
export const MINIBROWSER_PATH = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
export const XVFB_PATH = "/usr/bin/Xvfb";

const NEEDS = {
  chromium: { packages: ["chromium"], files: [CHROMIUM_PATH] },
  firefox: { packages: ["firefox-esr"], files: [FIREFOX_PATH] },
  // MiniBrowser draws into an X display even when nobody looks: a virtual one (Xvfb).
  webkit: {
    packages: ["webkit2gtk-driver", "xvfb"],
    files: [WEBKIT_DRIVER_PATH, MINIBROWSER_PATH, XVFB_PATH],
  },
} satisfies Record<Engine, { packages: string[]; files: string[] }>;

/** Installs each engine's Debian packages when missing; false when one could not be. */
export async function ensureBrowsers(engines: Engine[] = ENGINES): Promise<boolean> {
  let ok = true;
  for (const engine of engines)
    ok =
      (await ensureDebianPackages({ what: `${engine} for the browser tests`, ...NEEDS[engine] })) &&
      ok;
  return ok;
}
