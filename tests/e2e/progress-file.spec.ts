import { readFileSync } from "node:fs";
import type { FileChooser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const SAVED = {
  version: 1,
  steps: { "why-virtualize/slices": ["start-two", "add-third"] },
  quizzes: { "why-virtualize/q1": true },
  updatedAt: 1,
};
const EMPTY = { version: 1, steps: {}, quizzes: {}, updatedAt: 2 };

/** Writes the stored progress record directly, as an earlier visit would have left it. */
async function storeProgress(page: Page, value: unknown): Promise<void> {
  await page.evaluate(
    (record) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("vlabs-progress", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("records");
        open.onsuccess = () => {
          const transaction = open.result.transaction("records", "readwrite");
          transaction.objectStore("records").put(record, "progress");
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
        open.onerror = () => reject(open.error);
      }),
    value,
  );
}

const summary = (page: Page) => page.locator("[data-progress-summary]");
const fileInput = (page: Page) => page.locator('input[type="file"]');

async function pick(page: Page, name: string, content: string | Buffer) {
  await fileInput(page).setInputFiles({
    name,
    mimeType: "application/json",
    buffer: typeof content === "string" ? Buffer.from(content) : content,
  });
}

test("progress exported as a file comes back on import, after confirmation", async ({ page }) => {
  await page.goto("/");
  await storeProgress(page, SAVED);
  await page.reload();
  const section = page.getByRole("region", { name: "Your progress" });
  await expect(summary(page)).toContainText("2 lab steps done in 1 lab, 1 quiz question");

  const downloading = page.waitForEvent("download");
  await section.getByRole("button", { name: "Export progress" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^virtualization-labs-progress-.*\.json$/);
  const exported = readFileSync((await download.path())!, "utf8");
  expect(JSON.parse(exported)).toMatchObject({
    format: "virtualization-labs-progress",
    version: 1,
    progress: { steps: SAVED.steps, quizzes: SAVED.quizzes },
  });

  await storeProgress(page, EMPTY);
  await page.reload();
  await expect(summary(page)).toContainText("0 lab steps done");
  await pick(page, "mine.json", exported);
  const confirm = page.getByRole("group", { name: "Confirm import" });
  await expect(confirm).toContainText("2 lab steps done in 1 lab");
  await expect(summary(page)).toContainText("0 lab steps done");
  await confirm.getByRole("button", { name: "Replace my progress" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toBeVisible();
  await expect(summary(page)).toContainText("2 lab steps done in 1 lab");
  await page.reload();
  await expect(summary(page)).toContainText("2 lab steps done in 1 lab");

  // Merging adds the file's steps to what is there.
  await storeProgress(page, {
    ...EMPTY,
    steps: { "building-blocks/interview-a-guest": ["boot-guest"] },
  });
  await page.reload();
  await pick(page, "mine.json", exported);
  await page.getByRole("button", { name: "Merge with my progress" }).click();
  await expect(summary(page)).toContainText("3 lab steps done in 2 labs");
});

test("a bad file is refused with a message saying why, and progress stays as it was", async ({
  page,
}) => {
  await page.goto("/");
  await storeProgress(page, SAVED);
  await page.reload();
  await expect(summary(page)).toContainText("2 lab steps done in 1 lab");
  const valid = JSON.stringify({
    format: "virtualization-labs-progress",
    version: 1,
    exportedAt: new Date().toISOString(),
    progress: EMPTY,
  });
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ["cut.json", valid.slice(0, valid.length - 20), /truncated/],
    ["notes.json", "just some notes", /not valid JSON/],
    ["other.json", JSON.stringify({ hello: "world" }), /not a Virtualization Labs progress file/],
    ["future.json", valid.replace('"version":1', '"version":2'), /newer version/],
    ["broken.json", valid.replace('"steps":{}', '"steps":[]'), /invalid at progress\.steps:/],
    ["huge.json", Buffer.alloc(400 * 1024, 32), /too large/],
  ];
  for (const [name, content, reason] of cases) {
    await pick(page, name, content);
    const alert = page.getByRole("alert").filter({ hasText: "was not imported" });
    await expect(alert).toContainText(`${name} was not imported`);
    await expect(alert).toContainText(reason);
    await expect(alert).toContainText("Your saved progress is unchanged");
    await expect(page.getByRole("group", { name: "Confirm import" })).toHaveCount(0);
  }
  await page.reload();
  await expect(summary(page)).toContainText("2 lab steps done in 1 lab, 1 quiz question");
});

test("import can be cancelled, and works from the keyboard", async ({ page }) => {
  await page.goto("/");
  await storeProgress(page, EMPTY);
  await page.reload();
  const importButton = page.getByLabel("Import progress…");
  await expect(importButton).toBeEnabled();
  await importButton.focus();
  await expect(importButton).toBeFocused();
  // Headless Chromium now and then ignores the first key on a file input; a person presses again.
  let chooser: FileChooser | undefined;
  for (let attempt = 0; attempt < 3 && !chooser; attempt++) {
    const choosing = page.waitForEvent("filechooser", { timeout: 4000 }).catch(() => undefined);
    await page.keyboard.press("Space");
    chooser = await choosing;
  }
  if (!chooser)
    throw new Error("Space on the focused Import control never opened the file chooser");
  await chooser.setFiles({
    name: "p.json",
    mimeType: "application/json",
    buffer: Buffer.from(
      JSON.stringify({
        format: "virtualization-labs-progress",
        version: 1,
        exportedAt: new Date().toISOString(),
        progress: SAVED,
      }),
    ),
  });
  await expect(page.getByRole("button", { name: "Merge with my progress" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("group", { name: "Confirm import" })).toHaveCount(0);
  await expect(importButton).toBeFocused();
  await page.reload();
  await expect(summary(page)).toContainText("0 lab steps done");
});
