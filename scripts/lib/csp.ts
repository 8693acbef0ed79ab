/**
 * The site's Content-Security-Policy and the inline-script hashes it allows.
 *
 * Pages are static, so a per-request nonce is not an option (it would make every page dynamic
 * and rules out the static export). Instead each HTML page's policy lists the sha256 of every
 * inline <script> in it (Next's RSC payload `self.__next_f.push(...)` and its bootstrap): the
 * production server (scripts/serve.ts) hashes each page as it sends it, and the export
 * (scripts/export-headers.ts) writes the hashes next to each exported page.
 */
import { createHash } from "node:crypto";

/**
 * Cross-origin isolation: a page that no other origin can open or be embedded by gets
 * `crossOriginIsolated`, hence SharedArrayBuffer, Atomics.wait in workers and 5 µs timers (v86
 * times its 1 ms slices of guest work with performance.now). The site loads nothing from other
 * origins, so require-corp costs nothing; CORP same-origin keeps other sites from embedding ours.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** Security headers every response carries, besides the Content-Security-Policy. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "SAMEORIGIN",
  ...ISOLATION_HEADERS,
};

const SCRIPT_ELEMENT = /<script\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/script\s*>/gi;
const SRC_ATTRIBUTE = /(?:^|\s)src\s*=/i;

/**
 * The CSP source expression ('sha256-…') of every inline script in an HTML document, each once,
 * in document order. The browser hashes a script's text after the HTML parser has normalized
 * line breaks to \n, so that is what is hashed here too. Scripts with a src are not inline.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(SCRIPT_ELEMENT)) {
    const [, attributes = "", body = ""] = match;
    if (SRC_ATTRIBUTE.test(attributes)) continue;
    const text = body.replace(/\r\n?/g, "\n");
    hashes.add(`'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`);
  }
  return [...hashes];
}

/**
 * The policy for a page with the given inline-script hashes (none: for anything that is not a
 * page, e.g. the VM workers, whose scripts are files).
 *
 * - scripts: same-origin files, the listed inline scripts, and WebAssembly compilation (v86
 *   compiles guest code to WebAssembly at run time); no 'unsafe-inline', no 'unsafe-eval'.
 * - styles: same-origin files plus inline styles. The VM console (xterm.js) writes <style>
 *   elements whose rules are computed at run time (per-terminal selectors, cell sizes, colours),
 *   which no precomputed hash can match. Styles cannot run code, and img-src/font-src/connect-src
 *   keep anything a style could load on the site's own origin.
 * - everything else: the site's own origin only; no plugins, no <base> elsewhere, framing only
 *   by the site itself.
 * - reportUri: where the browser posts a report of anything the policy blocked.
 */
export function contentSecurityPolicy(
  scriptHashes: readonly string[] = [],
  options: { reportUri?: string } = {},
): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", "'wasm-unsafe-eval'", ...scriptHashes],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["worker-src", "'self'"],
    ["manifest-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'self'"],
  ];
  if (options.reportUri) directives.push(["report-uri", options.reportUri]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}
