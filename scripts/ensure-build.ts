/** Builds the production site when it is missing or older than its sources; no-op otherwise. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { log, NEXT_BUILD_ENV, runOrExit } from "./lib/run";
import { BUILD_INPUTS, hashInputs } from "./lib/source-hash";

const root = process.cwd();
const stampFile = path.join(root, ".next", "vlabs-build-hash");

await runOrExit("npx", ["tsx", "scripts/prepare-assets.ts"]);

const wanted = hashInputs(root, BUILD_INPUTS, process.env.BASE_PATH ?? "");
const built = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : "";
if (built === wanted && existsSync(path.join(root, ".next", "BUILD_ID"))) {
  log("production build is up to date");
} else {
  log(
    built
      ? "sources changed since the last build: rebuilding"
      : "no production build yet: building",
  );
  await runOrExit("npx", ["next", "build"], NEXT_BUILD_ENV);
  writeFileSync(stampFile, `${wanted}\n`);
}
