import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, expectNoSeriousAxeViolations, test, trackForeignRequests } from "./fixtures";

const lessonFiles = readdirSync(path.join(process.cwd(), "content", "labs")).filter((name) =>
  name.endsWith(".mdx"),
);
const lessonSlugs = lessonFiles.map((name) => name.replace(/^\d{2}-/, "").replace(/\.mdx$/, ""));

test("the course home lists every lesson with minutes and objectives", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("virtualization");
  const outline = page.getByRole("list", { name: "Lessons" });
  await expect(
    outline.getByRole("listitem").filter({ has: page.getByRole("heading") }),
  ).toHaveCount(lessonFiles.length);
  await expect(outline).toContainText(/\d+ min/);
  await outline.getByText("What you will be able to do").first().click();
  await expect(outline.getByRole("listitem").first().locator("details li").first()).toBeVisible();
});

test("start leads to the first lesson, and the home page then offers to continue", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Start the course" }).click();
  await expect(page).toHaveURL(new RegExp(`/labs/${lessonSlugs[0]}$`));
  await page.getByRole("link", { name: /Next/ }).click();
  await expect(page).toHaveURL(new RegExp(`/labs/${lessonSlugs[1]}$`));
  await page.getByRole("link", { name: "Course", exact: true }).first().click();
  await expect(page.getByRole("link", { name: /^Continue: / })).toBeVisible();
  await page.reload();
  await page.getByRole("link", { name: /^Continue: / }).click();
  await expect(page).toHaveURL(new RegExp(`/labs/${lessonSlugs[1]}$`));
});

test("a lesson has metadata, a working table of contents and previous/next links", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/labs/${lessonSlugs[1]}`);
  await expect(page).toHaveTitle(/Virtualization Labs/);
  const description = await page.locator('meta[name="description"]').getAttribute("content");
  expect(description?.length).toBeGreaterThan(10);
  const toc = page.getByRole("navigation", { name: "On this page" });
  const links = toc.getByRole("link");
  expect(await links.count()).toBeGreaterThan(0);
  for (const href of await links.evaluateAll((anchors) =>
    anchors.map((a) => a.getAttribute("href")),
  )) {
    await expect(page.locator(href!)).toHaveCount(1);
  }
  const pager = page.getByRole("navigation", { name: "Previous and next lesson" });
  await expect(pager.getByRole("link", { name: /Previous/ })).toHaveAttribute(
    "href",
    `/labs/${lessonSlugs[0]}`,
  );
});

test("an unknown lesson is a real 404 page", async ({ page }) => {
  const response = await page.goto("/labs/no-such-lesson");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the course" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("the theme follows the system setting", async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const light = await background();
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await background()).not.toBe(light);
});

test("keyboard users can skip to the content and see where focus is", async ({ page }) => {
  await page.goto(`/labs/${lessonSlugs[0]}`);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await page.keyboard.press("Tab");
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return `${style.outlineStyle} ${style.outlineWidth}`;
  });
  expect(outline).not.toMatch(/^none|0px$/);
});

const pages = [
  "/",
  "/playground",
  "/search?q=hypervisor",
  "/labs/no-such-lesson",
  "/workshop",
  "/workshop/present",
  "/workshop/handout",
  ...lessonSlugs.map((slug) => `/labs/${slug}`),
];

for (const scheme of ["light", "dark"] as const) {
  for (const url of pages) {
    test(`${url} (${scheme}) has no serious accessibility violations and stays on its origin`, async ({
      page,
      baseURL,
    }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const foreign = await trackForeignRequests(page, baseURL!);
      await page.goto(url, { waitUntil: "networkidle" });
      await expectNoSeriousAxeViolations(page);
      expect(foreign).toEqual([]);
    });
  }
}
