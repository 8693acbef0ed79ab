import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createVm, startVms } from "./vm-helpers";

/*
 * Addresses anyone can type or share, with parameters that are too long, hostile or nonsense:
 * every page renders with a sane default or a clear message, and no script error escapes.
 */

// page.route serves the damaged files; the offline cache would answer some requests itself.
test.use({ serviceWorkers: "block" });

function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

const HOSTILE_QUERIES = [
  "x".repeat(8_000), // longer addresses are refused by Node's HTTP server itself (431)
  "<script>window.__owned = 1</script><img src=x onerror=window.__owned=1>",
  "%E0%A4%A", // a cut-off percent escape
  "%ED%A0%80", // a lone surrogate, UTF-8 encoded
  "__proto__",
  "constructor[prototype][owned]=1",
  "💥👩‍👩‍👧 İstanbul naïve ﬁle",
  "\u0000\u202e\ufeff",
];

test("search renders for any ?q=, keeps at most 200 characters and never runs what it is given", async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  for (const raw of HOSTILE_QUERIES) {
    const encoded = raw.startsWith("%") ? raw : encodeURIComponent(raw);
    await page.goto(`/search?q=${encoded}`);
    await expect(page.getByRole("heading", { name: "Search the course" })).toBeVisible();
    const input = page.getByLabel("Words to find");
    await expect(input).toBeVisible();
    expect((await input.inputValue()).length).toBeLessThanOrEqual(200);
    await expect(page.getByText(/No lesson matches\.|lessons? found\./)).toBeVisible();
    expect(await page.evaluate(() => (window as { __owned?: number }).__owned)).toBeUndefined();
  }
  // Several q parameters, and one with no value: the first counts, the page still answers.
  await page.goto("/search?q=virtualization&q=%3Cb%3E&q");
  await expect(page.getByLabel("Words to find")).toHaveValue("virtualization");
  await expect(
    page.getByRole("list", { name: "Search results" }).getByRole("link").first(),
  ).toBeVisible();
  expect(errors).toEqual([]);
});

test("a damaged search index is named on the search page instead of breaking it", async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  for (const body of ['{"not": "a list"}', '[{"slug": 1}]', "[null]", "<html>", '[{"slug":"a"']) {
    await page.route("**/search-index.json", (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body }),
    );
    await page.goto("/search?q=virtualization");
    await expect(page.getByText(/^The search index could not be loaded/)).toHaveAttribute(
      "role",
      "alert",
    );
    await expect(page.getByLabel("Words to find")).toBeEditable();
    await page.unroute("**/search-index.json");
  }
  expect(errors).toEqual([]);
});

test("the playground ignores a nonsense ?yield= and its VMs run with the default", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectPageErrors(page);
  await page.goto(`/playground?yield=${encodeURIComponent("garbage<script>")}&yield=__proto__`);
  const vm = await createVm(page, "yielding");
  await startVms(vm);
  await page.goto("/playground?yield=toString");
  await expect(page.getByRole("button", { name: "Create VM" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("the workshop falls back to its default start time for any stored nonsense", async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  for (const stored of [
    "25:99",
    "",
    " ",
    "__proto__",
    "9:00",
    "x".repeat(100_000),
    "12:00\u0000",
  ]) {
    await page.goto("/workshop");
    await page.evaluate((value) => localStorage.setItem("vlabs:workshop-start", value), stored);
    await page.reload();
    await expect(page.getByLabel("Start time")).toHaveValue("09:00");
    await expect(
      page.locator("[data-agenda-item]").first().locator("[data-agenda-time]"),
    ).toContainText("09:00");
  }
  // Typed nonsense is named, and the agenda keeps the last good time.
  await page.getByLabel("Start time").fill("");
  await expect(page.getByRole("alert").filter({ hasText: "start time" })).toContainText(
    "The agenda keeps the last valid time (09:00).",
  );
  expect(errors).toEqual([]);
});

test("the presenter view clamps any #slide- into the deck", async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto("/workshop/present#slide-3");
  const total = Number(
    /of (\d+)/.exec(
      (await page.locator("[aria-roledescription=slide]").getAttribute("aria-label"))!,
    )![1],
  );
  for (const [hash, expected] of [
    ["#slide-0", 1],
    ["#slide-99999999999999999999999", total],
    ["#slide--4", 1],
    ["#slide-abc", 1],
    ["#slide-2e3", 1],
    [`#slide-${"9".repeat(400)}`, total],
  ] as const) {
    await page.goto(`/workshop/present${hash}`);
    await page.reload();
    await expect(page.locator("[data-slide-number]")).toHaveText(String(expected));
  }
  expect(errors).toEqual([]);
});

test("unknown and malformed lesson addresses get the not-found page, never a server error", async ({
  page,
}) => {
  for (const path of [
    "/labs/no-such-lesson",
    "/labs/__proto__",
    "/labs/constructor",
    "/labs/%E0%A4%A", // a malformed escape: Next alone answers 500, scripts/serve.ts a 400
    "/labs/%ZZ",
    `/labs/${"a".repeat(2_000)}`,
    "/labs/why-virtualize/extra",
  ]) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBeGreaterThanOrEqual(400);
    expect(response!.status(), path).toBeLessThan(500);
    if (response!.status() === 404)
      await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  }
  // A lesson with parameters it does not use still renders.
  const errors = collectPageErrors(page);
  await page.goto("/labs/why-virtualize?yield=nonsense&q=%00#not-a-heading");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(errors).toEqual([]);
});
