/**
 * The smoke scenario in every engine (`npm test` runs it after Playwright): Debian's Chromium,
 * Firefox ESR and WebKitGTK against the production server. `ENGINES=firefox,webkit` picks some;
 * BROWSERS_PORT (default 3108) is the server's port. Run: `npx tsx --test tests/browsers/smoke.test.ts`
 * after a build.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ENGINES, type Engine } from "../../scripts/lib/browsers";
import { startServer, type RunningServer } from "../../scripts/lib/server";
import { launchChromium } from "./chromium-driver";
import type { BrowserDriver } from "./driver";
import { launchFirefox } from "./firefox-driver";
import { SMOKE_PARTS } from "./smoke-scenario";
import { launchWebKit } from "./webkit-driver";

const LAUNCH: Record<Engine, () => Promise<BrowserDriver>> = {
  chromium: launchChromium,
  firefox: launchFirefox,
  webkit: launchWebKit,
};
const engines = (process.env.ENGINES?.split(",") ?? ENGINES) as Engine[];
const port = Number(process.env.BROWSERS_PORT ?? 3108);
let server: RunningServer;
let classData: string | undefined;

before(async () => {
  // The live class keeps its database in one folder per server: this server gets its own, so it
  // starts whatever else serves from the project's folder.
  if (!process.env.CLASS_DATA_DIR)
    process.env.CLASS_DATA_DIR = classData = mkdtempSync(join(tmpdir(), "vlabs-browsers-"));
  server = await startServer(
    "npx",
    ["tsx", "scripts/serve.ts", "--port", String(port), "--hostname", "127.0.0.1"],
    port,
  );
});
after(async () => {
  await server?.stop();
  if (classData) rmSync(classData, { recursive: true, force: true });
});

for (const engine of engines) {
  describe(`smoke in ${engine}`, { timeout: 300_000 }, () => {
    let driver: BrowserDriver;
    let broken = "";
    before(async () => {
      driver = await LAUNCH[engine]();
      console.log(`# ${engine}: ${driver.version}`);
    });
    after(() => driver?.close());
    for (const [name, part] of SMOKE_PARTS) {
      test(name, async (t) => {
        // Each part builds on the one before: after a failure the rest would only repeat it.
        if (broken) return t.skip(`"${broken}" failed`);
        const t0 = Date.now();
        try {
          await part(driver, server.url);
        } catch (error) {
          broken = name;
          throw error;
        }
        t.diagnostic(`${engine}: ${Date.now() - t0} ms`);
      });
    }
  });
}
