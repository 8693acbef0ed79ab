import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";

declare global {
  interface Window {
    quizEvents?: Array<{ quizId: string; correct: boolean }>;
  }
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    window.quizEvents = [];
    document.addEventListener("vlabs:quiz-answered", (event) => {
      window.quizEvents!.push((event as CustomEvent<{ quizId: string; correct: boolean }>).detail);
    });
  });
});

test("a single-choice quiz is answered wrongly, then rightly, by keyboard alone", async ({
  page,
}) => {
  await page.goto("/labs/why-virtualize");
  const quiz = page.locator('[data-quiz-id="utilization-problem"]');
  await expect(quiz).toHaveAttribute("data-quiz-state", "unanswered");
  const group = quiz.getByRole("group");
  await expect(group).toHaveAccessibleName(/What problem did one-server-per-application/);

  const radios = quiz.getByRole("radio");
  await radios.first().focus();
  await page.keyboard.press("Space");
  await expect(radios.first()).toBeChecked();
  await page.keyboard.press("Tab");
  await expect(quiz.getByRole("button", { name: "Check answer" })).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(quiz).toHaveAttribute("data-quiz-state", "incorrect");
  await expect(quiz.getByRole("status")).toContainText("Not quite");
  await expect(radios.first()).toHaveAccessibleDescription(/too big for their job/);
  const url = page.url();

  await page.keyboard.press("Shift+Tab");
  await expect(radios.first()).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(radios.nth(1)).toBeChecked();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");

  await expect(quiz).toHaveAttribute("data-quiz-state", "correct");
  await expect(quiz.getByRole("status")).toContainText("Correct");
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => window.quizEvents)).toEqual([
    { quizId: "utilization-problem", correct: false },
    { quizId: "utilization-problem", correct: true },
  ]);
});

test("a multiple-choice quiz needs every right answer and no wrong one", async ({ page }) => {
  await page.goto("/labs/why-virtualize");
  const quiz = page.locator('[data-quiz-id="pizza-limits"]');
  const boxes = quiz.getByRole("checkbox");
  const check = quiz.getByRole("button", { name: "Check answer" });

  await check.click();
  await expect(quiz.getByRole("status")).toContainText("Tick at least one answer");
  await expect(quiz).toHaveAttribute("data-quiz-state", "unanswered");

  await boxes.first().focus();
  await page.keyboard.press("Space");
  await check.press("Enter");
  await expect(quiz).toHaveAttribute("data-quiz-state", "incorrect");
  await expect(quiz.getByRole("status")).toContainText("1 right answer is missing");

  await boxes.nth(1).focus();
  await page.keyboard.press("Space");
  await check.press("Enter");
  await expect(quiz).toHaveAttribute("data-quiz-state", "correct");
});

test("a term in a lesson links to its glossary entry", async ({ page }) => {
  await page.goto("/labs/why-virtualize");
  await page.locator('a[data-term="hypervisor"]').first().click();
  await expect(page).toHaveURL(/\/glossary#hypervisor$/);
  await expect(page.locator("#hypervisor")).toContainText("virtual machine monitor");
});

for (const scheme of ["light", "dark"] as const) {
  test(`/glossary (${scheme}) has no serious accessibility violations`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/glossary");
    await expect(page.getByRole("heading", { level: 1, name: "Glossary" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
}
