/** `npm test`: prepares what the suites need (browser, images, build), then runs unit and e2e tests. */
import { ensureChromium } from "./lib/chromium";
import { log, run, runOrExit } from "./lib/run";

await ensureChromium();
await runOrExit("npx", ["tsx", "scripts/ensure-build.ts"]);

log("typecheck (tsc)");
const typecheck = await run("npx", ["tsc", "--noEmit"]);
log("unit and guest tests (Vitest)");
const unit = await run("npx", ["vitest", "run"]);
log("end-to-end tests (Playwright, Debian Chromium)");
const e2e = await run("npx", ["playwright", "test"]);

const failed = [
  typecheck !== 0 && "typecheck",
  unit !== 0 && "Vitest",
  e2e !== 0 && "Playwright",
].filter(Boolean);
if (failed.length > 0) {
  console.error(`\nFailed suites: ${failed.join(", ")}`);
  process.exit(1);
}
log("all suites passed");
