import { expect, test, trackForeignRequests } from "./fixtures";
import { EXPORT_BASE, EXPORT_BUILD_TIMEOUT, EXPORT_DIR, ensureExport } from "./export-build";
import { serveStatic } from "./static-server";
import type { StaticServer } from "./static-server";

/*
 * `npm run export` under a sub-path, served by the plainest static server: every page, asset,
 * emulator file, guest image and worker must be found under the base path. The service worker is
 * blocked here so every request shows as it reaches the host (offline.spec.ts covers the worker).
 */

let server: StaticServer;

test.use({ serviceWorkers: "block" });

test.beforeAll(async () => {
  test.setTimeout(EXPORT_BUILD_TIMEOUT);
  ensureExport();
  server = await serveStatic(EXPORT_DIR, EXPORT_BASE);
});

test.afterAll(async () => {
  await server?.close();
});

test("the exported site works from a sub-path on a plain static server and boots a VM", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const origin = server.origin;
  const foreign = await trackForeignRequests(page, origin);
  const outsideBase: string[] = [];
  const failed: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === origin && !url.pathname.startsWith(`${EXPORT_BASE}/`)) {
      outsideBase.push(url.pathname);
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  page.on("requestfailed", (request) => {
    // Link prefetches are cancelled when the page moves on; that is not a missing file.
    if (request.failure()?.errorText !== "net::ERR_ABORTED") failed.push(`failed ${request.url()}`);
  });

  await page.goto(`${origin}${EXPORT_BASE}/`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("virtualization");
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toMatch(new RegExp(`^${EXPORT_BASE}/`));

  // A client-side navigation (RSC payload) to a lesson with a live machine.
  await page.getByRole("link", { name: "Building blocks: hypervisor, guest OS, host OS" }).click();
  await expect(page).toHaveURL(new RegExp(`${EXPORT_BASE}/labs/building-blocks/$`));
  // The lab loads its machines when it comes near the screen.
  await page.getByRole("heading", { name: /Lab: interview a guest/ }).scrollIntoViewIfNeeded();
  const panel = page.getByRole("region", { name: "VM guest" });
  await panel.getByRole("button", { name: "Start", exact: true }).click();
  await expect(panel).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });
  await expect(page.locator("figure img").first()).toHaveJSProperty("complete", true);
  expect(
    await page
      .locator("figure img")
      .first()
      .evaluate((img: HTMLImageElement) => img.naturalWidth),
  ).toBeGreaterThan(0);

  // Search loads its index from the base path.
  await page.goto(`${origin}${EXPORT_BASE}/search/?q=hypervisor`);
  await expect(page.getByRole("link", { name: /Hypervisor types/ }).first()).toBeVisible();

  // The workshop pages are in the export too.
  await page.goto(`${origin}${EXPORT_BASE}/workshop/present/`);
  await expect(page.locator("[data-slide-index]")).toBeVisible();

  expect(foreign).toEqual([]);
  expect(outsideBase).toEqual([]);
  expect(failed).toEqual([]);
});

test("the export's workshop pages say that a live class needs the server", async ({ page }) => {
  const asked: string[] = [];
  page.on("request", (request) => asked.push(new URL(request.url()).pathname));
  for (const path of ["/workshop/", "/workshop/live/"]) {
    await page.goto(`${server.origin}${EXPORT_BASE}${path}`);
    await expect(page.getByText(/A live class needs the course's server/)).toBeVisible();
  }
  await expect(page.getByRole("button", { name: "Create class" })).toHaveCount(0);
  expect(asked).toContain(`${EXPORT_BASE}/api/health`);
});

test("an unknown path gets the exported 404 page", async ({ page }) => {
  const response = await page.goto(`${server.origin}${EXPORT_BASE}/no/such/page`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
});
