/**
 * Puts what the site serves as static files in place: the emulator from the v86 package, and the
 * guest images (built from Debian packages the first time, then only when their recipe changes).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { log, runOrExit } from "./lib/run";

const root = process.cwd();
const V86_FILES = ["libv86.mjs", "v86.wasm"];

function copyEmulator(): void {
  const from = path.join(root, "node_modules", "v86", "build");
  const to = path.join(root, "public", "v86");
  mkdirSync(to, { recursive: true });
  for (const name of V86_FILES) {
    const source = path.join(from, name);
    const target = path.join(to, name);
    if (
      existsSync(target) &&
      statSync(target).size === statSync(source).size &&
      readFileSync(target).equals(readFileSync(source))
    ) {
      continue;
    }
    copyFileSync(source, target);
  }
  const version = JSON.parse(
    readFileSync(path.join(root, "node_modules", "v86", "package.json"), "utf8"),
  ).version;
  log(`emulator v86 ${version} in public/v86/`);
}

async function buildImages(): Promise<void> {
  if (process.env.VLABS_SKIP_IMAGES === "1") {
    log("VLABS_SKIP_IMAGES=1: not building guest images");
    return;
  }
  if (!existsSync(path.join(root, "guest", "build.ts"))) return;
  await runOrExit("npx", ["tsx", "guest/build.ts", "--if-missing"]);
}

copyEmulator();
await buildImages();
