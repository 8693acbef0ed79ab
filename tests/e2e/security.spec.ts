import { readdirSync } from "node:fs";
import path from "node:path";
import {
  expectHydrated,
  expectStrictPolicy,
  inlineScriptHashesInPage,
  scriptHashes,
  watchPolicyViolations,
} from "./csp-helpers";
import { expect, test, trackForeignRequests } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

/*
 * The production server (`npm start`, scripts/serve.ts) sends every response with its security
 * headers, and every page with a Content-Security-Policy that allows its own inline scripts by
 * hash and nothing inline besides. Pages load, hydrate and run their VMs under it.
 */

const lessonSlugs = readdirSync(path.join(process.cwd(), "content", "labs"))
  .filter((name) => name.endsWith(".mdx"))
  .map((name) => name.replace(/^\d{2}-/, "").replace(/\.mdx$/, ""));

const PAGES = [
  "/",
  ...lessonSlugs.map((slug) => `/labs/${slug}`),
  "/playground",
  "/search?q=hypervisor",
  "/glossary",
  "/workshop",
  "/workshop/present",
  "/workshop/handout",
];
const MISSING_PAGE = "/labs/no-such-lesson";

function expectSecurityHeaders(headers: Record<string, string>, where: string): void {
  expect(headers["x-content-type-options"], where).toBe("nosniff");
  expect(headers["referrer-policy"], where).toBe("same-origin");
  expect(headers["x-frame-options"], where).toBe("SAMEORIGIN");
  // Cross-origin isolation: the VMs get SharedArrayBuffer and fine-grained timers.
  expect(headers["cross-origin-opener-policy"], where).toBe("same-origin");
  expect(headers["cross-origin-embedder-policy"], where).toBe("require-corp");
  expect(headers["cross-origin-resource-policy"], where).toBe("same-origin");
  expectStrictPolicy(headers["content-security-policy"], where);
}

test("every page, file and the 404 page carry the security headers", async ({ request }) => {
  for (const url of [...PAGES, MISSING_PAGE]) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(url === MISSING_PAGE ? 404 : 200);
    expectSecurityHeaders(response.headers(), url);
    // Each page's policy names its own inline scripts (Next's RSC payload at least).
    expect(scriptHashes(response.headers()["content-security-policy"]!).length).toBeGreaterThan(0);
  }
  const home = await (await request.get("/")).text();
  const chunk = home.match(/src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
  expect(chunk).toBeTruthy();
  for (const url of [chunk!, "/v86/v86.wasm", "/v86/libv86.mjs", "/icon.svg", "/sitemap.xml"]) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    expectSecurityHeaders(response.headers(), url);
  }
});

test("a page revalidated by the browser keeps its policy (a 304 sends none to replace it)", async ({
  request,
}) => {
  const first = await request.get("/glossary");
  const etag = first.headers()["etag"];
  expect(etag).toBeTruthy();
  const again = await request.get("/glossary", { headers: { "If-None-Match": etag! } });
  expect(again.status()).toBe(304);
  expect(again.headers()["content-security-policy"]).toBeUndefined();
});

test("every page loads under its policy with no violation and becomes interactive", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const foreign = await trackForeignRequests(page, baseURL!);
  const violations = await watchPolicyViolations(page);
  for (const url of [...PAGES, MISSING_PAGE]) {
    const response = await page.goto(url);
    const policy = response!.headers()["content-security-policy"]!;
    expectStrictPolicy(policy, url);
    await expectHydrated(page);
    // The hashes the browser needs for the scripts it parsed are exactly the ones sent.
    expect((await inlineScriptHashesInPage(page)).sort(), url).toEqual(scriptHashes(policy).sort());
    expect(await violations(), url).toEqual([]);
  }

  // Client code answers: the search filters as one types, the presenter view turns slides.
  await page.goto("/search");
  await page.getByLabel("Words to find").fill("hypervisor");
  await expect(
    page.getByRole("list", { name: "Search results" }).getByRole("listitem").first(),
  ).toBeVisible();
  await page.goto("/workshop/present");
  const slide = page.locator("[data-slide-index]");
  await expect(slide).toHaveAttribute("data-slide-index", "0");
  await page.keyboard.press("ArrowRight");
  await expect(slide).toHaveAttribute("data-slide-index", "1");
  // A client-side navigation fetches the next page's RSC payload under the policy too.
  await page.goto("/");
  await page.getByRole("link", { name: "Building blocks: hypervisor, guest OS, host OS" }).click();
  await expect(page).toHaveURL(/\/labs\/building-blocks$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Building blocks");

  expect(await violations()).toEqual([]);
  expect(foreign).toEqual([]);
});

test("an injected inline script does not run, and the server is told", async ({ page }) => {
  await page.goto("/glossary");
  await expectHydrated(page);
  const report = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/_csp-report",
  );
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.injectedScriptRan = true";
    document.body.append(script);
  });
  const answer = await report;
  expect(await page.evaluate(() => "injectedScriptRan" in window)).toBe(false);
  expect(answer.status()).toBe(204);
  expect(answer.request().postDataJSON()["csp-report"]["effective-directive"]).toBe(
    "script-src-elem",
  );
});

test("VMs boot and answer under the policy (WebAssembly, workers) on the playground and in a lab", async ({
  page,
  baseURL,
  request,
}) => {
  test.setTimeout(300_000);
  const foreign = await trackForeignRequests(page, baseURL!);
  const violations = await watchPolicyViolations(page);
  const workers: string[] = [];
  page.on("worker", (worker) => workers.push(worker.url()));

  const playground = await page.goto("/playground");
  expectStrictPolicy(playground!.headers()["content-security-policy"], "/playground");
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const vm = await createVm(page, "strict");
  await startVms(vm);
  await typeInConsole(page, vm, "echo csp-$((6*7))", "csp-42");

  await page.goto("/labs/building-blocks");
  await page.getByRole("heading", { name: /Lab: interview a guest/ }).scrollIntoViewIfNeeded();
  const panel = page.getByRole("region", { name: "VM guest" });
  await panel.getByRole("button", { name: "Start", exact: true }).click();
  await expect(panel).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  expect(await violations()).toEqual([]);
  expect(foreign).toEqual([]);
  // The VM workers (and the helper each starts) run under the policy sent with their scripts.
  expect(workers.length).toBeGreaterThanOrEqual(2);
  for (const url of new Set(workers)) {
    expectSecurityHeaders((await request.get(url)).headers(), url);
  }
});
