import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  expectHydrated,
  expectStrictPolicy,
  inlineScriptHashesInPage,
  scriptHashes,
  watchPolicyViolations,
} from "./csp-helpers";
import { EXPORT_BASE, EXPORT_BUILD_TIMEOUT, EXPORT_DIR, ensureExport } from "./export-build";
import { expect, test, trackForeignRequests } from "./fixtures";
import { serveStatic } from "./static-server";
import type { StaticServer } from "./static-server";

/*
 * The static export under its own Content-Security-Policy: every page carries its policy in a
 * <meta> element, and `_headers` (Netlify / Cloudflare Pages format) sends the same per page with
 * framing rules and the file policy. The static server here honours `_headers` as those hosts do.
 * The hashes are checked against the inline scripts the browser itself parsed.
 */

let server: StaticServer;

test.beforeAll(async () => {
  test.setTimeout(EXPORT_BUILD_TIMEOUT);
  ensureExport();
  server = await serveStatic(EXPORT_DIR, EXPORT_BASE, 0, { hostHeaders: true });
});

test.afterAll(async () => {
  await server?.close();
});

function exportedPages(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return exportedPages(path.join(dir, entry.name), relative);
    return entry.name.endsWith(".html") ? [relative] : [];
  });
}

/** The URL a page file is served at: its folder for index.html (trailing-slash export). */
function urlOfPage(file: string): string {
  return `${EXPORT_BASE}/${file.replace(/(^|\/)index\.html$/, "$1")}`;
}

/** `_headers` as a map from URL pattern to its Content-Security-Policy, if it has one. */
function policiesInHeadersFile(): Map<string, string> {
  const policies = new Map<string, string>();
  let pattern = "";
  for (const line of readFileSync(path.join(EXPORT_DIR, "_headers"), "utf8").split("\n")) {
    if (/^[^\s#]/.test(line)) pattern = line.trim();
    const header = /^\s+Content-Security-Policy:\s*(.+)$/i.exec(line);
    if (header) policies.set(pattern, header[1]!);
  }
  return policies;
}

test.describe("without the service worker, every request reaching the host", () => {
  test.use({ serviceWorkers: "block" });

  test("_headers gives every exported page a policy with the hashes of its own inline scripts", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    expect(existsSync(path.join(EXPORT_DIR, "_headers"))).toBe(true);
    const policies = policiesInHeadersFile();
    const pages = exportedPages(EXPORT_DIR);
    expect(pages).toContain("index.html");
    expect(pages).toContain("labs/building-blocks/index.html");
    expect(pages).toContain("404.html");
    const foreign = await trackForeignRequests(page, server.origin);
    const violations = await watchPolicyViolations(page);

    for (const file of pages) {
      const url = urlOfPage(file);
      const policy = policies.get(url);
      expectStrictPolicy(policy, `_headers ${url}`);
      const response = await page.goto(`${server.origin}${url}`);
      expect(response!.status(), url).toBe(200);
      // The host sends the file's rule: the page's policy and framing and sniffing rules.
      expect(response!.headers()["content-security-policy"], url).toBe(policy);
      expect(response!.headers()["x-content-type-options"], url).toBe("nosniff");
      await expectHydrated(page);
      const parsed = (await inlineScriptHashesInPage(page)).sort();
      expect(parsed.length, url).toBeGreaterThan(0);
      expect(scriptHashes(policy!).sort(), url).toEqual(parsed);
      // The page's own <meta> policy has the same hashes (for hosts that send no headers).
      const meta = await page
        .locator('meta[http-equiv="Content-Security-Policy"]')
        .getAttribute("content");
      expect(scriptHashes(meta!).sort(), url).toEqual(parsed);
      expect(await violations(), url).toEqual([]);
    }

    // An unknown URL gets 404.html with no page rule: its <meta> policy holds on its own.
    const missing = await page.goto(`${server.origin}${EXPORT_BASE}/no/such/page/`);
    expect(missing!.status()).toBe(404);
    expect(missing!.headers()["content-security-policy"]).toBeUndefined();
    await expectHydrated(page);
    await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
    expect(await violations()).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test("a page whose scripts do not match its hashes is stopped by its <meta> policy alone", async ({
    page,
  }) => {
    // Proves the meta policy is enforced: the same page with one inline script changed.
    const file = path.join(EXPORT_DIR, "glossary", "index.html");
    const html = readFileSync(file, "utf8").replace(
      "(self.__next_f=self.__next_f||[]).push([0])",
      "(self.__next_f=self.__next_f||[]).push([0]);window.injected=1",
    );
    expect(html).toContain("window.injected=1");
    const violations = await watchPolicyViolations(page);
    server.override(`${EXPORT_BASE}/tampered.html`, html);
    try {
      await page.goto(`${server.origin}${EXPORT_BASE}/tampered.html`);
      await expect.poll(violations).toContainEqual(expect.stringContaining("script-src"));
      expect(await page.evaluate(() => "injected" in window)).toBe(false);
    } finally {
      server.override(`${EXPORT_BASE}/tampered.html`, null);
    }
  });
});

test("under its policy the export works offline through its service worker and boots a VM", async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  const foreign = await trackForeignRequests(page, server.origin);
  const violations = await watchPolicyViolations(page);
  await page.goto(`${server.origin}${EXPORT_BASE}/`);
  // The host sends _headers' isolation headers (COOP, COEP) from the first visit on.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('[data-offline-state="ready"]')).toHaveText("Available offline", {
    timeout: 150_000,
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await context.setOffline(true);
  try {
    await page.goto(`${server.origin}${EXPORT_BASE}/labs/building-blocks/`);
    await expectHydrated(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByRole("heading", { name: /Lab: interview a guest/ }).scrollIntoViewIfNeeded();
    const panel = page.getByRole("region", { name: "VM guest" });
    await panel.getByRole("button", { name: "Start", exact: true }).click();
    await expect(panel).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });
  } finally {
    await context.setOffline(false);
  }
  expect(await violations()).toEqual([]);
  expect(foreign).toEqual([]);
});
