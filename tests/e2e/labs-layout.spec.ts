import type { Locator, Page } from "@playwright/test";
import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";

/*
 * How a lab looks before anything runs: its machines side by side where the lab is wide enough and
 * one under the other on a phone, the host picture, and the create form with the lab's limits.
 */

function panel(page: Page, vm: string): Locator {
  return page.getByRole("region", { name: `VM ${vm}`, exact: true });
}

async function openLab(page: Page, lesson: string, lab: string): Promise<Locator> {
  await page.goto(`/labs/${lesson}`);
  const section = page.locator(`[data-lab-id="${lab}"]`);
  await section.evaluate((element) => element.scrollIntoView({ block: "start" }));
  return section;
}

test("lab machines stand side by side on a wide screen, with the host picture under them", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const lab = await openLab(page, "why-virtualize", "slices");
  const [alpha, beta] = [panel(page, "alpha"), panel(page, "beta")];
  await expect(beta).toBeVisible({ timeout: 30_000 });
  const [a, b] = [(await alpha.boundingBox())!, (await beta.boundingBox())!];
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(b.x).toBeGreaterThan(a.x + a.width - 1);
  const picture = lab.getByRole("figure", { name: "Host picture" });
  await expect(picture.locator("[data-host-vm]")).toHaveCount(3);
  await expect(picture.locator('[data-stat="host-held-mb"]')).toHaveText("0");
  await expectNoSeriousAxeViolations(page);
});

test("lab machines stack in one column on a 360 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openLab(page, "why-virtualize", "slices");
  const [alpha, beta] = [panel(page, "alpha"), panel(page, "beta")];
  await expect(beta).toBeVisible({ timeout: 30_000 });
  const [a, b] = [(await alpha.boundingBox())!, (await beta.boundingBox())!];
  expect(Math.abs(a.x - b.x)).toBeLessThan(2);
  expect(b.y).toBeGreaterThan(a.y + a.height - 1);
  expect(a.x + a.width).toBeLessThanOrEqual(360);
});

test("a lab's create form refuses what the lab cannot use, at the field, and creates nothing", async ({
  page,
}) => {
  const lab = await openLab(page, "build-an-environment", "install-linux");
  const step = lab.locator('[data-step-id="create-web1"]');
  const form = step.getByRole("form", { name: "Create a VM" });
  await expect(form).toBeVisible({ timeout: 30_000 });
  await expect(
    step.getByText(/This lab accepts: Name web1, boot from Installer media/),
  ).toBeVisible();
  // Only what the lab allows is offered to boot from.
  await expect(form.getByLabel("Boot from", { exact: true }).locator("option")).toHaveText([
    "Installer media (CD)",
  ]);
  await form.getByLabel("Name", { exact: true }).fill("db9");
  await form.getByLabel("Memory (MB)", { exact: true }).fill("600");
  await form.getByRole("button", { name: "Create VM" }).click();
  await expect(
    form.getByText("This lab's steps talk to a machine named web1: name it web1."),
  ).toBeVisible();
  await expect(form.getByText("In this lab, give it 96 to 256 MB of memory.")).toBeVisible();
  await expect(form.getByText("This machine needs a disk: choose Blank disk.")).toBeVisible();
  await expect(form.getByLabel("Name", { exact: true })).toBeFocused();
  await expect(lab.locator('[data-machine-placeholder="web1"]')).toContainText("Not created yet");
  await expect(panel(page, "web1")).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
});

test("Do it for me fills the lab's create form and makes the machine the step asks for", async ({
  page,
}) => {
  const lab = await openLab(page, "recap", "final-challenge");
  const step = lab.locator('[data-step-id="create-app"]');
  // The second of the lab's two forms: the solution fills the step's own.
  await expect(step.getByRole("form", { name: "Create a VM" })).toBeVisible({ timeout: 30_000 });
  await step.getByRole("button", { name: "Show solution" }).click();
  await step.getByRole("button", { name: "Do it for me" }).click();
  const app = panel(page, "app");
  await expect(app).toBeVisible({ timeout: 30_000 });
  await expect(
    app.getByText("Live Linux (boots to a shell), 128 MB, no disk, on the virtual switch"),
  ).toBeVisible();
  await expect(panel(page, "db")).toHaveCount(0);
  await expect(app.getByRole("button", { name: "Delete", exact: true })).toBeVisible();
  // What the learner made goes away with Delete, and the form can make it again.
  await app.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(app).toHaveCount(0);
  await expect(lab.locator('[data-machine-placeholder="app"]')).toContainText("Not created yet");
});
