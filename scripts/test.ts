/**
 * `npm test`: prepares what the suites need (browsers, images, build), then runs the unit tests,
 * the end-to-end tests in Chromium and the smoke scenario in Chromium, Firefox and WebKit.
 */
import { ensureBrowsers } from "./lib/browsers";
import { log, run, runOrExit } from "./lib/run";

if (!(await ensureBrowsers())) process.exit(1);
await runOrExit("npx", ["tsx", "scripts/ensure-build.ts"]);

log("typecheck (tsc)");
const typecheck = await run("npx", ["tsc", "--noEmit"]);
log("unit and guest tests (Vitest)");
const unit = await run("npx", ["vitest", "run"]);
log("end-to-end tests (Playwright, Debian Chromium)");
const e2e = await run("npx", ["playwright", "test"]);
log("smoke scenario in every engine (Chromium, Firefox ESR, WebKitGTK)");
const engines = await run("npx", ["tsx", "--test", "tests/browsers/smoke.test.ts"]);

const failed = [
  typecheck !== 0 && "typecheck",
  unit !== 0 && "Vitest",
  e2e !== 0 && "Playwright",
  engines !== 0 && "browser engines",
].filter(Boolean);
if (failed.length > 0) {
  console.error(`\nFailed suites: ${failed.join(", ")}`);
  process.exit(1);
}
log("all suites passed");
