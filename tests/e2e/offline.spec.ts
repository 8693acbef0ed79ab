import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test, trackForeignRequests } from "./fixtures";
import { EXPORT_BASE, EXPORT_BUILD_TIMEOUT, EXPORT_DIR, ensureExport } from "./export-build";
import { serveStatic } from "./static-server";
import type { StaticServer } from "./static-server";

/* After one visit the exported site works with no network at all, VMs included. */

let server: StaticServer;

test.beforeAll(async () => {
  test.setTimeout(EXPORT_BUILD_TIMEOUT);
  ensureExport();
  server = await serveStatic(EXPORT_DIR, EXPORT_BASE);
});

test.afterAll(async () => {
  await server?.close();
});

async function waitUntilOffline(page: Page) {
  await expect(page.locator('[data-offline-state="ready"]')).toHaveText("Available offline", {
    timeout: 150_000,
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test("after one visit, the site loads and boots a VM with the network off", async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  const foreign = await trackForeignRequests(page, server.origin);
  await page.goto(`${server.origin}${EXPORT_BASE}/`);
  await expect(page.locator("[data-offline-state]")).toBeVisible();
  // This host sends no headers at all: the first visit is not cross-origin isolated ...
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await waitUntilOffline(page);

  await context.setOffline(true);
  await page.reload();
  // ... and once the service worker answers, it adds the isolation headers itself.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("virtualization");
  await page.getByRole("link", { name: "Building blocks: hypervisor, guest OS, host OS" }).click();
  await expect(page).toHaveURL(/\/labs\/building-blocks\/$/);
  // The lab loads its machines when it comes near the screen.
  await page.getByRole("heading", { name: /Lab: interview a guest/ }).scrollIntoViewIfNeeded();
  const panel = page.getByRole("region", { name: "VM guest" });
  await panel.getByRole("button", { name: "Start", exact: true }).click();
  await expect(panel).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });

  // A page opened directly, not by a link, comes from the cache too.
  await page.goto(`${server.origin}${EXPORT_BASE}/workshop/`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Run it as a workshop");
  await context.setOffline(false);
  expect(foreign).toEqual([]);
});

/** The version the page's service worker reports. */
function workerVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve((event.data as { version: string }).version);
        navigator.serviceWorker.controller!.postMessage({ type: "status" }, [channel.port2]);
      }),
  );
}

test("a newly deployed version is offered with a Reload button", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`${server.origin}${EXPORT_BASE}/`);
  await waitUntilOffline(page);
  const before = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active!.scriptURL;
  });
  expect(before).toBe(`${server.origin}${EXPORT_BASE}/sw.js`);
  const version = await workerVersion(page);

  // "Deploy" a new version: the same site with a different worker version.
  const original = readFileSync(path.join(EXPORT_DIR, "sw.js"), "utf8");
  expect(original).toContain(`"${version}"`);
  server.override(`${EXPORT_BASE}/sw.js`, original.replaceAll(`"${version}"`, `"${version}-next"`));
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    const prompt = page.getByRole("alert").filter({ hasText: "A new version is available" });
    await expect(prompt).toBeVisible({ timeout: 60_000 });
    await prompt.getByRole("button", { name: "Reload" }).click();
    await page.waitForEvent("load");
    await expect(page.locator('[data-offline-state="ready"]')).toBeVisible({ timeout: 60_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(await workerVersion(page)).toBe(`${version}-next`);
    // One precache, kept across versions: the new worker fetched only what changed (here nothing).
    const caches = await page.evaluate(() => window.caches.keys());
    expect(caches.filter((name) => name.includes("precache"))).toHaveLength(1);
  } finally {
    server.override(`${EXPORT_BASE}/sw.js`, null);
  }
});
