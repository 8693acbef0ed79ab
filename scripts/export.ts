/**
 * `npm run export`: the whole site as static files in out/, for any static host or CDN.
 * BASE_PATH=/some/sub-path serves it under a sub-path.
 */
import { log, NEXT_BUILD_ENV, runOrExit } from "./lib/run";

const basePath = process.env.BASE_PATH ?? "";
if (basePath && !/^\/[A-Za-z0-9._~\/-]*[^\/]$/.test(basePath)) {
  console.error(`BASE_PATH must start with "/" and not end with one (got "${basePath}")`);
  process.exit(1);
}
const outDir = process.env.NEXT_EXPORT_DIR ?? "out";
await runOrExit("npx", ["next", "build"], {
  ...NEXT_BUILD_ENV,
  NEXT_OUTPUT: "export",
  BASE_PATH: basePath,
});
// Each page's Content-Security-Policy (inline-script hashes) and _headers for static hosts.
await runOrExit("npx", ["tsx", "scripts/export-headers.ts", outDir], { BASE_PATH: basePath });
await runOrExit("npx", ["tsx", "scripts/build-sw.ts", outDir], { BASE_PATH: basePath });
log(`static site written to ${outDir}/${basePath ? ` for the base path ${basePath}` : ""}`);
