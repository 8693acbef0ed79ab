import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";
import { createVm, startVms } from "./vm-helpers";

test.describe.configure({ timeout: 300_000 });

test("the benchmark runs on the host and in a VM, with matching checksums and a ratio", async ({
  page,
}) => {
  await page.goto("/playground");
  await page.evaluate(() => localStorage.removeItem("vlabs:overhead-runs:v1"));
  const vm = await createVm(page, "bench");
  const panel = page.getByRole("region", { name: "Measure the overhead" });
  await expect(panel).toBeVisible();
  const run = panel.getByRole("button", { name: "Run benchmark" });
  await expect(run).toBeDisabled();
  await expect(panel).toContainText("Start a Live Linux VM first");

  await startVms(vm);
  await expect(panel.getByLabel("Virtual machine")).toHaveValue("bench");
  await panel.getByLabel("Workload").selectOption("small");
  // Keyboard: focus the button and press Enter, as a person without a mouse would.
  await run.focus();
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("status")).toContainText("Running", { timeout: 10_000 });
  await expect(panel.getByRole("status")).toContainText("Benchmark finished", { timeout: 240_000 });
  await expect(panel.getByRole("alert")).toHaveCount(0);

  await expect(panel.locator('[data-stat="checksum-match"]')).toHaveText("match");
  await expect(panel.locator('[data-stat="host-ms"]')).toHaveText(/^\d+(\.\d)?$/);
  await expect(panel.locator('[data-stat="guest-ms"]')).toHaveText(/^\d+(\.\d)?$/);
  await expect(panel.locator('[data-stat="ratio"]')).toHaveText(/^\d+\.\d$/);
  await expect(panel.locator('[data-stat="vms-running"]')).toHaveText("1");
  await expect(panel.locator('[data-stat="guest-memory-mb"]')).toHaveText("128");

  const table = panel.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "Slowdown" })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("row").nth(1)).toContainText("match");
  await expectNoSeriousAxeViolations(page);

  // Kept across a reload (the VM itself is gone after it).
  await page.reload();
  await createVm(page, "again");
  const reloaded = page.getByRole("region", { name: "Measure the overhead" });
  await expect(reloaded.getByRole("table").getByRole("row")).toHaveCount(2);
  await expect(reloaded.getByRole("table")).toContainText("bench");
});

test("two VMs run the benchmark at once, one row each", async ({ page }) => {
  await page.goto("/playground");
  await page.evaluate(() => localStorage.removeItem("vlabs:overhead-runs:v1"));
  const a = await createVm(page, "left");
  const b = await createVm(page, "right");
  await startVms(a, b);
  const panel = page.getByRole("region", { name: "Measure the overhead" });
  await panel.getByRole("checkbox", { name: /Every running live VM at once \(2\)/ }).check();
  await expect(panel.getByLabel("Virtual machine")).toBeDisabled();
  await panel.getByRole("button", { name: "Run benchmark" }).click();
  await expect(panel.getByRole("status")).toContainText("Benchmark finished", { timeout: 240_000 });
  await expect(panel.locator('[data-stat="checksum-match"]')).toHaveText("match");
  await expect(panel.locator('[data-stat="vms-running"]')).toHaveText("2");
  const rows = panel.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(3);
  for (const name of ["left", "right"]) {
    const row = rows.filter({ hasText: name });
    await expect(row).toHaveCount(1);
    // VMs running, at once
    await expect(row.getByRole("cell").nth(2)).toHaveText("2");
    await expect(row.getByRole("cell").nth(3)).toHaveText("2");
  }
});
