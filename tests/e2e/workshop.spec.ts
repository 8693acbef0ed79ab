import { getLessons } from "../../lib/content/lessons";
import { getWorkshopLessons } from "../../lib/workshop/outline";
import { expect, test } from "./fixtures";

const lessons = getWorkshopLessons(getLessons());
const firstStep = lessons[0]!.labs[0]!.steps[0]!;
const secondStep = lessons[0]!.labs[0]!.steps[1]!;
const withNote = lessons.find((lesson) => lesson.notes.length > 0)!;
const noteText = withNote.notes[0]![0]!.text;
const slideCount =
  lessons.length +
  lessons.reduce((n, l) => n + l.labs.reduce((m, lab) => m + lab.steps.length, 0), 0);

test("the agenda's times follow the start time, which is remembered", async ({ page }) => {
  await page.goto("/workshop");
  const rows = page.locator("[data-agenda-item]");
  const firstTime = rows.first().locator("[data-agenda-time]");
  await expect(firstTime).toHaveText(`09:00–09:${String(lessons[0]!.minutes).padStart(2, "0")}`);

  const start = page.getByLabel("Start time");
  await start.fill("13:30");
  await expect(firstTime).toHaveText(`13:30–13:${30 + lessons[0]!.minutes}`);
  const second = rows.nth(1).locator("[data-agenda-time]");
  await expect(second).toHaveText(new RegExp(`^13:${30 + lessons[0]!.minutes}–`));
  await page.reload();
  await expect(page.getByLabel("Start time")).toHaveValue("13:30");
  await expect(firstTime).toHaveText(new RegExp("^13:30–"));

  // A cleared field says what is wrong and the agenda keeps the last good time.
  await page.getByLabel("Start time").fill("");
  await expect(page.getByRole("alert").filter({ hasText: "start time" })).toContainText(
    "Enter a start time",
  );
  await expect(page.getByLabel("Start time")).toHaveAttribute("aria-invalid", "true");
  await expect(firstTime).toHaveText(new RegExp("^13:30–"));

  // A damaged stored value falls back to the default.
  await page.evaluate(() => localStorage.setItem("vlabs:workshop-start", "99:99"));
  await page.reload();
  await expect(firstTime).toHaveText(new RegExp("^09:00–"));
});

test("the presenter view steps forward and back by keyboard", async ({ page }) => {
  await page.goto("/workshop/present");
  const slide = page.locator("[data-slide-index]");
  const title = page.getByRole("heading", { level: 1 });
  await expect(slide).toHaveAttribute("data-slide-index", "0");
  await expect(title).toHaveText(lessons[0]!.title);

  // The first slide is in the server's HTML and keys only work once React has hydrated it, so
  // the first step is tried until it takes (Home first makes each try start from slide 1).
  await expect(async () => {
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await expect(slide).toHaveAttribute("data-slide-index", "1", { timeout: 2_000 });
  }).toPass();
  await expect(title).toHaveText(firstStep.title);
  await expect(slide).toContainText(firstStep.blocks[0]!.text);
  await page.keyboard.press(" ");
  await expect(title).toHaveText(secondStep.title);
  await page.keyboard.press("ArrowLeft");
  await expect(title).toHaveText(firstStep.title);
  await page.keyboard.press("PageDown");
  await expect(slide).toHaveAttribute("data-slide-index", "2");
  await page.keyboard.press("PageUp");
  await expect(slide).toHaveAttribute("data-slide-index", "1");

  await page.keyboard.press("End");
  await expect(slide).toHaveAttribute("data-slide-index", String(slideCount - 1));
  await page.keyboard.press("ArrowRight");
  await expect(slide).toHaveAttribute("data-slide-index", String(slideCount - 1));
  await page.keyboard.press("Home");
  await expect(slide).toHaveAttribute("data-slide-index", "0");
  await page.keyboard.press("ArrowLeft");
  await expect(slide).toHaveAttribute("data-slide-index", "0");

  // The place is in the URL, so a reload keeps it.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(/#slide-3$/);
  await page.reload();
  await expect(slide).toHaveAttribute("data-slide-index", "2");

  // Keyboard-only: the buttons work with Enter, and Space on a focused button is the button's.
  await page.getByRole("button", { name: "Next →" }).focus();
  await page.keyboard.press("Enter");
  await expect(slide).toHaveAttribute("data-slide-index", "3");
  await page.getByRole("button", { name: "← Previous" }).focus();
  await page.keyboard.press(" ");
  await expect(slide).toHaveAttribute("data-slide-index", "2");

  await page.getByRole("button", { name: "Start timer" }).click();
  await expect(page.getByRole("button", { name: "Pause timer" })).toBeVisible();
  await expect(page.locator("[data-timer-elapsed]")).toHaveText(/^\d+:\d\d$/);
});

test("instructor notes show only in instructor mode, in the lesson and the presenter view", async ({
  page,
}) => {
  await page.goto(`/labs/${withNote.slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(noteText.slice(0, 40))).toHaveCount(0);
  await page.goto(`/workshop/present#slide-1`);
  await expect(page.locator("[data-slide-index]")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Instructor notes" })).toHaveCount(0);

  await page.goto("/workshop");
  const toggle = page.getByRole("switch", { name: "Instructor mode" });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.goto(`/labs/${withNote.slug}`);
  await expect(page.getByRole("complementary", { name: "Instructor note" })).toContainText(
    noteText.slice(0, 40),
  );
  const index = lessons.indexOf(withNote);
  const slideOfLesson =
    lessons
      .slice(0, index)
      .reduce((n, l) => n + 1 + l.labs.reduce((m, lab) => m + lab.steps.length, 0), 0) + 1;
  await page.goto(`/workshop/present#slide-${slideOfLesson}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(withNote.title);
  await expect(page.getByRole("complementary", { name: "Instructor notes" })).toContainText(
    noteText.slice(0, 40),
  );

  await page.goto("/workshop");
  await page.getByRole("switch", { name: "Instructor mode" }).uncheck();
  await page.goto(`/labs/${withNote.slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Instructor note" })).toHaveCount(0);
});

test("reset all labs asks first, then clears the saved steps", async ({ page }) => {
  await page.goto("/");
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("vlabs-progress", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("records");
        open.onsuccess = () => {
          const transaction = open.result.transaction("records", "readwrite");
          transaction.objectStore("records").put(
            {
              version: 1,
              steps: { "why-virtualize/slices": ["start-two"] },
              quizzes: { "why-virtualize/q": true },
              updatedAt: 1,
            },
            "progress",
          );
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  await page.goto("/workshop");
  await page.getByRole("button", { name: "Reset all labs…" }).click();
  const confirm = page.getByRole("group", { name: "Confirm reset" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Reset all labs…" })).toBeFocused();
  await page.goto("/");
  await expect(page.locator("[data-progress-summary]")).toContainText("1 lab step done");

  await page.goto("/workshop");
  await page.getByRole("button", { name: "Reset all labs…" }).click();
  await page.getByRole("button", { name: "Yes, reset all labs" }).click();
  await expect(page.getByRole("status").filter({ hasText: "All labs were reset" })).toBeVisible();
  await page.goto("/");
  await expect(page.locator("[data-progress-summary]")).toContainText(
    "0 lab steps done in 0 labs, 0 quiz questions",
  );
});

test("the handout lists every lesson's objectives and lab steps and prints without site chrome", async ({
  page,
}) => {
  await page.goto("/workshop/handout");
  for (const lesson of lessons) {
    await expect(
      page.getByRole("heading", { level: 2, name: new RegExp(lesson.title.replace(/[()]/g, ".")) }),
    ).toBeVisible();
  }
  await expect(page.getByText(firstStep.title, { exact: true })).toBeVisible();
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  await expect(page.locator("body > header")).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: "The course on paper" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Print the handout" })).toBeHidden();
  const colors = await page.evaluate(() => ({
    background: getComputedStyle(document.body).backgroundColor,
    text: getComputedStyle(document.body).color,
  }));
  expect(colors).toEqual({ background: "rgb(255, 255, 255)", text: "rgb(0, 0, 0)" });
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByRole("button", { name: "Print the handout" })).toBeVisible();
});
