import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Everything a production build is made from: when its hash changes, the build is stale. */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "content",
  "mdx-components.tsx",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "public",
  // Lessons show these programs' source, read at build time (lib/content/source-code.ts).
  "guest/vmm",
  "guest/baremetal",
];

function listFiles(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry)
    .sort()
    .flatMap((name) => listFiles(path.join(entry, name)));
}

/** Hashes file paths, sizes and modification times; contents only for small files. */
export function hashInputs(root: string, inputs: string[], extra = ""): string {
  const hash = createHash("sha256").update(extra);
  for (const input of inputs) {
    for (const file of listFiles(path.join(root, input))) {
      const stat = statSync(file);
      hash.update(`${path.relative(root, file)}\0${stat.size}\0`);
      hash.update(stat.size < 1_000_000 ? readFileSync(file) : String(stat.mtimeMs));
    }
  }
  return hash.digest("hex");
}
