import { loadLessons } from "../../lib/content/lessons";
import { expect, test } from "./fixtures";

const lesson = loadLessons().find((candidate) => candidate.quizzes.length > 0)!;
const quiz = lesson.quizzes[0]!;

async function answerCorrectly(page: import("@playwright/test").Page) {
  const form = page.locator(`[data-quiz-id="${quiz.id}"]`);
  const inputs = form.locator("input");
  for (const index of quiz.correctChoices) await inputs.nth(index).check();
  await form.getByRole("button", { name: "Check answer" }).click();
  await expect(form).toHaveAttribute("data-quiz-state", "correct");
}

test("quiz answers are saved, survive a reload and show on the course home", async ({ page }) => {
  await page.goto(`/labs/${lesson.slug}`);
  const summary = page.locator("[data-lesson-progress]").first();
  await expect(summary).toContainText(
    `0 of ${lesson.quizzes.length} quiz questions answered correctly`,
  );
  await answerCorrectly(page);
  await expect(summary).toContainText(
    `1 of ${lesson.quizzes.length} quiz questions answered correctly`,
  );

  await page.reload();
  await expect(page.locator("[data-lesson-progress]").first()).toContainText(
    `1 of ${lesson.quizzes.length} quiz questions answered correctly`,
  );
  await page.goto("/");
  const card = page
    .getByRole("list", { name: "Lessons" })
    .getByRole("listitem")
    .filter({ hasText: lesson.title });
  await expect(card.locator('[data-lesson-progress="started"]')).toContainText(/\d+ of \d+ done/);
});

test("a corrupted progress record is reset with a notice and the page keeps working", async ({
  page,
}) => {
  await page.goto(`/labs/${lesson.slug}`);
  await expect(page.locator("[data-lesson-progress]").first()).toContainText("quiz questions");
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("vlabs-progress", 1);
        open.onsuccess = () => {
          const transaction = open.result.transaction("records", "readwrite");
          transaction
            .objectStore("records")
            .put({ version: 99, steps: "not a record" }, "progress");
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  await page.reload();
  await expect(
    page.getByRole("status").filter({ hasText: "could not be read, so it was reset" }).first(),
  ).toBeVisible();
  await answerCorrectly(page);
  await expect(page.locator("[data-lesson-progress]").first()).toContainText(
    `1 of ${lesson.quizzes.length} quiz questions answered correctly`,
  );
});
