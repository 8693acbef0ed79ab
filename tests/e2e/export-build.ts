import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BUILD_INPUTS, hashInputs } from "../../scripts/lib/source-hash";

/*
 * The static export the export and offline tests serve, built under a sub-path. With
 * `output: "export"`, Next always builds in <project>/.next (only the exported files go to the
 * custom folder), which would pull the build from under a running `next start`. So the export
 * is built from a copy of the sources in .cache/e2e-export/ (ignored by git, lint and tsc; Node
 * still finds node_modules two folders up), and only when the sources have changed.
 */

const ROOT = process.cwd();
const WORK = path.join(ROOT, ".cache", "e2e-export");
const SOURCE_COPY = path.join(WORK, "src");
const EXPORT_NAME = "site";
export const EXPORT_DIR = path.join(SOURCE_COPY, EXPORT_NAME);
export const EXPORT_BASE = "/course";
/** Long enough for one export build on a busy two-core machine. */
export const EXPORT_BUILD_TIMEOUT = 15 * 60_000;

const STAMP = path.join(WORK, "export-hash");
const COPIED = [
  "app",
  "components",
  "lib",
  "content",
  "public",
  "mdx-components.tsx",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  // Lessons show these programs' source, read at build time (lib/content/source-code.ts).
  "guest/vmm",
  "guest/baremetal",
];
const INPUTS = [
  ...BUILD_INPUTS.filter((input) => input !== "tsconfig.json"),
  "scripts/build-sw.ts",
  "scripts/export-headers.ts",
  "scripts/lib/csp.ts",
];

function copySources(): void {
  rmSync(SOURCE_COPY, { recursive: true, force: true });
  mkdirSync(SOURCE_COPY, { recursive: true });
  for (const entry of COPIED) {
    const from = path.join(ROOT, entry);
    if (!existsSync(from)) continue;
    if (entry === "public") {
      // Hard links: the guest images are tens of MB.
      try {
        execFileSync("cp", ["-al", from, path.join(SOURCE_COPY, entry)]);
        continue;
      } catch {
        // Another file system: copy instead.
      }
    }
    cpSync(from, path.join(SOURCE_COPY, entry), { recursive: true });
  }
}

let ensuredInThisRun = false;

export function ensureExport(): void {
  // Both export specs call this; once per test run is enough even if images change meanwhile.
  if (ensuredInThisRun && existsSync(path.join(EXPORT_DIR, "sw.js"))) return;
  const wanted = hashInputs(ROOT, INPUTS, EXPORT_BASE);
  const built = existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : "";
  if (built === wanted && existsSync(path.join(EXPORT_DIR, "sw.js"))) {
    ensuredInThisRun = true;
    return;
  }
  rmSync(STAMP, { force: true });
  copySources();
  const env = {
    ...process.env,
    NEXT_OUTPUT: "export",
    BASE_PATH: EXPORT_BASE,
    NEXT_EXPORT_DIR: EXPORT_NAME,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  execFileSync("npx", ["next", "build"], { cwd: SOURCE_COPY, stdio: "inherit", env });
  execFileSync("npx", ["tsx", path.join(ROOT, "scripts", "export-headers.ts"), EXPORT_DIR], {
    cwd: ROOT,
    stdio: "inherit",
    env,
  });
  execFileSync("npx", ["tsx", path.join(ROOT, "scripts", "build-sw.ts"), EXPORT_DIR], {
    cwd: ROOT,
    stdio: "inherit",
    env,
  });
  writeFileSync(STAMP, `${wanted}\n`);
  ensuredInThisRun = true;
}
