import { expect, test } from "./fixtures";
import { installPageProbes, mainThread, restartMainThreadWindow, sendCommand } from "./page-probes";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

/**
 * A guest that exhausts itself (processes, CPU, memory) must not take the page or the other VMs
 * with it, and the learner must get it back from the panel. Figures go to the test's
 * annotations; the assertions are about what a person can still do.
 */

test.describe.configure({ timeout: 300_000 });

/** busybox ash: three busy loops in the background, then a fork bomb. */
const CPU_HOGS = "while :; do :; done & while :; do :; done & while :; do :; done &";
const FORK_BOMB = "f(){ f|f& };f";
/** Doubles a string until the guest runs out of memory (128 MB guest, no swap). */
const MEMORY_HOG = `awk 'BEGIN { s = "x"; while (1) s = s s }'`;

test("a fork bomb and busy loops in one VM leave the page and the other VM responsive; Reset and Power off bring it back", async ({
  page,
}) => {
  await installPageProbes(page);
  await page.goto("/playground");
  const bomb = await createVm(page, "bomb");
  const calm = await createVm(page, "calm");
  await startVms(bomb, calm);

  await restartMainThreadWindow(page);
  await sendCommand(bomb, CPU_HOGS);
  await sendCommand(bomb, FORK_BOMB);
  // The guest has run out of processes: every fork now fails.
  await expect(bomb.locator(".xterm-rows")).toContainText("can't fork", { timeout: 120_000 });

  // The other VM still answers, typed on its console.
  await typeInConsole(page, calm, "echo calm-$((6*7))", "calm-42");
  // The page still reacts to clicks on the bombed VM's own panel.
  await bomb.getByRole("tab", { name: "Screen" }).click();
  await expect(bomb.getByRole("tabpanel", { name: "Screen" })).toBeVisible();
  await bomb.getByRole("tab", { name: "Serial console" }).click();
  await expect(bomb.getByRole("textbox", { name: "Console of bomb" })).toBeAttached();
  await expect(bomb).toHaveAttribute("data-vm-state", "running");

  const figures = await mainThread(page);
  const described = `longest task ${figures.longestTaskMs} ms, busy ${(figures.busyShare * 100).toFixed(1)} % of ${figures.windowMs} ms, longest frame gap ${figures.longestFrameGapMs} ms`;
  test.info().annotations.push({ type: "main thread under a fork bomb", description: described });
  console.log(`main thread under a fork bomb: ${described}`);
  // A frozen page would spend most of its time in long tasks; this one only handles messages.
  expect(figures.busyShare).toBeLessThan(0.5);

  // Reset reboots the VM the way it was started (here: the boot snapshot), without the bomb.
  await bomb.getByRole("button", { name: "Reset" }).click();
  await expect(bomb).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });
  await typeInConsole(page, bomb, "[ $(ps | wc -l) -lt 40 ] && echo few-$((2+3))", "few-5");

  // Power off a bombed VM, then Start it again.
  await sendCommand(bomb, FORK_BOMB);
  await expect(bomb.locator(".xterm-rows")).toContainText("can't fork", { timeout: 120_000 });
  await bomb.getByRole("button", { name: "Power off" }).click();
  await expect(bomb).toHaveAttribute("data-vm-state", "stopped", { timeout: 30_000 });
  await startVms(bomb);
  await typeInConsole(page, bomb, "echo again-$((5*5))", "again-25");
  await typeInConsole(page, calm, "echo still-$((7*7))", "still-49");
});

test("a memory hog is killed by the guest's OOM killer; with panic_on_oom the VM shows crashed and Reset brings it back", async ({
  page,
}) => {
  await page.goto("/playground");
  const hog = await createVm(page, "hog");
  const calm = await createVm(page, "calm");
  await startVms(hog, calm);

  await sendCommand(hog, MEMORY_HOG);
  await expect(hog.locator(".xterm-rows")).toContainText("Killed", { timeout: 120_000 });
  await expect(hog).toHaveAttribute("data-vm-state", "running");
  await typeInConsole(page, hog, "echo survived-$((3*3))", "survived-9");
  await typeInConsole(page, calm, "echo calm-$((6*7))", "calm-42");

  // The same hog when the kernel is told to panic on OOM instead of killing a process.
  await sendCommand(hog, `echo 1 > /proc/sys/vm/panic_on_oom; ${MEMORY_HOG}`);
  await expect(hog).toHaveAttribute("data-vm-state", "crashed", { timeout: 120_000 });
  await expect(hog.getByRole("alert")).toContainText("panicked");
  await typeInConsole(page, calm, "echo alive-$((8*8))", "alive-64");
  await expect(calm).toHaveAttribute("data-vm-state", "running");

  // The panel offers the way back: Reset boots it again, with the setting gone.
  const reset = hog.getByRole("button", { name: "Reset" });
  await expect(reset).toBeEnabled();
  await reset.click();
  await expect(hog).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });
  await typeInConsole(page, hog, "echo oom-$(cat /proc/sys/vm/panic_on_oom)-set", "oom-0-set");
});

test("VMs are refused once the memory budget is used up, with what one needs and what is free", async ({
  page,
}) => {
  await page.goto("/playground");
  const budget = Number(await page.locator('[data-stat="budget-mb"]').textContent());
  // 128 MB guest + 32 MB emulator overhead each.
  const cost = 160;
  const fits = Math.floor(budget / cost);
  expect(fits).toBeGreaterThan(0);
  for (let i = 0; i < fits; i++) await createVm(page, `vm${i}`, { memoryMb: "128" });
  await expect(page.locator('[data-stat="budget-used-mb"]')).toHaveText(String(fits * cost));

  const name = page.getByLabel("Name", { exact: true });
  const memory = page.getByLabel("Memory (MB)");
  await name.fill("extra");
  await memory.fill("128");
  await page.getByRole("button", { name: "Create VM" }).click();
  await expect(memory).toHaveAttribute("aria-invalid", "true");
  const refusal =
    `Not enough memory left on this page: "extra" needs ${cost} MB (128 MB guest memory + 32 MB emulator) ` +
    `but only ${budget - fits * cost} MB of the page's ${budget} MB budget is free. ` +
    "Lower its memory, or delete a VM you no longer need.";
  await expect(memory).toHaveAccessibleDescription(new RegExp(`^${escapeRegExp(refusal)}`));
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(fits);

  // Deleting one makes room for exactly that VM again.
  await page
    .getByRole("region", { name: "VM vm0" })
    .getByRole("button", { name: "Delete" })
    .click();
  await expect(page.locator('[data-stat="budget-used-mb"]')).toHaveText(String((fits - 1) * cost));
  await createVm(page, "extra", { memoryMb: "128" });
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(fits);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
