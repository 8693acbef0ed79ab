/**
 * `npm run screenshot`: the README's picture of the course home page (docs/images/course-home.png),
 * taken from the production build in Debian's Chromium, so that it shows the course as it is.
 */
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureChromium } from "./lib/chromium";
import { log, runOrExit } from "./lib/run";
import { startServer } from "./lib/server";

const PORT = Number(process.env.SCREENSHOT_PORT ?? 3196);
const OUT = "docs/images/course-home.png";

await ensureChromium();
await runOrExit("npx", ["tsx", "scripts/ensure-build.ts"]);
const server = await startServer(
  "npx",
  ["tsx", "scripts/serve.ts", "--port", String(PORT), "--hostname", "127.0.0.1"],
  PORT,
);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    colorScheme: "light",
  });
  await page.goto(`${server.url}/`, { waitUntil: "networkidle" });
  await page.screenshot({ path: OUT });
  log(`wrote ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
}
