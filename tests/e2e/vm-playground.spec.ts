import { expect, expectNoSeriousAxeViolations, test, trackForeignRequests } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

test.describe.configure({ timeout: 240_000 });

test("two VMs run side by side, each with its own files", async ({ page, baseURL }) => {
  const foreign = await trackForeignRequests(page, baseURL!);
  await page.goto("/playground");
  const a = await createVm(page, "alpha");
  const b = await createVm(page, "beta");
  await expect(a).toHaveAttribute("data-vm-state", "stopped");
  await startVms(a, b);
  await expect(a.locator('[data-stat="boot-ms"]')).toHaveText(/^\d+$/);

  // $((...)) makes the answer differ from the typed line, so the match is the guest's output.
  await typeInConsole(
    page,
    a,
    "echo secret > /tmp/only-in-alpha && cat /tmp/only-in-alpha && echo ok-$((40+2))",
    "ok-42",
  );
  await typeInConsole(page, b, "test -e /tmp/only-in-alpha || echo absent-$((3*3))", "absent-9");
  await typeInConsole(page, a, "test -e /tmp/only-in-alpha && echo present-$((2*4))", "present-8");

  await expect(a.locator('[data-stat="memory-mb"]')).toHaveText("128");
  await expect(a.locator('[data-stat="mips"]')).toHaveText(/^\d+$/);
  await expect(a.locator('[data-stat="uptime-s"]')).not.toHaveText("0", { timeout: 5_000 });
  await expectNoSeriousAxeViolations(page);
  expect(foreign).toEqual([]);
});

test("a kernel panic shows as crashed while the other VM keeps answering", async ({ page }) => {
  await page.goto("/playground");
  const doomed = await createVm(page, "doomed");
  const other = await createVm(page, "survivor");
  await startVms(doomed, other);
  await doomed.getByRole("textbox", { name: "Console of doomed" }).focus();
  await page.keyboard.type("echo c > /proc/sysrq-trigger\n");
  await expect(doomed).toHaveAttribute("data-vm-state", "crashed", { timeout: 30_000 });
  await expect(doomed.getByRole("alert")).toContainText("panicked");
  await typeInConsole(page, other, "echo alive-$((6*7))", "alive-42");
  await expect(other).toHaveAttribute("data-vm-state", "running");

  await doomed.getByRole("button", { name: "Power off" }).click();
  await expect(doomed).toHaveAttribute("data-vm-state", "stopped");
  await doomed.getByRole("button", { name: "Delete" }).click();
  await expect(doomed).toHaveCount(0);
});

test("pause and resume keep the guest's state", async ({ page }) => {
  await page.goto("/playground");
  const vm = await createVm(page, "sleepy");
  await startVms(vm);
  await typeInConsole(page, vm, "export MARK=m$((5+5))", /export MARK/);
  await vm.getByRole("button", { name: "Pause" }).click();
  await expect(vm).toHaveAttribute("data-vm-state", "paused");
  await vm.getByRole("button", { name: "Resume" }).click();
  await expect(vm).toHaveAttribute("data-vm-state", "running");
  await typeInConsole(page, vm, "echo got-$MARK", "got-m10");
});

test("bad form input is refused at the field and creates nothing", async ({ page }) => {
  await page.goto("/playground");
  const name = page.getByLabel("Name", { exact: true });
  const memory = page.getByLabel("Memory (MB)");
  const create = page.getByRole("button", { name: "Create VM" });

  await create.click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/Give the VM a name/);

  await name.fill("box");
  await memory.fill("lots");
  await create.click();
  await expect(memory).toHaveAttribute("aria-invalid", "true");
  await expect(memory).toHaveAccessibleDescription(/whole number/);

  await memory.fill("100000");
  await create.click();
  await expect(memory).toHaveAccessibleDescription(/between \d+ and 512 MB/);

  await memory.fill("128");
  await page.getByLabel("Disk", { exact: true }).selectOption("blank");
  await page.getByLabel("Disk size (MB)").fill("9999");
  await create.click();
  await expect(page.getByLabel("Disk size (MB)")).toHaveAccessibleDescription(/between 1 and 512/);
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(0);

  await page.getByLabel("Disk", { exact: true }).selectOption("none");
  await createVm(page, "box");
  await name.fill("BOX");
  await create.click();
  await expect(name).toHaveAccessibleDescription(/already exists/);
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(1);
});

test("the memory budget refuses one VM too many and says why", async ({ page }) => {
  await page.goto("/playground");
  const budget = Number(await page.locator('[data-stat="budget-mb"]').textContent());
  const perVm = 512;
  const fits = Math.floor(budget / (perVm + 32));
  for (let i = 0; i < fits; i++) await createVm(page, `big${i}`, { memoryMb: String(perVm) });
  await page.getByLabel("Name", { exact: true }).fill("onetoomany");
  await page.getByLabel("Memory (MB)").fill(String(perVm));
  await page.getByRole("button", { name: "Create VM" }).click();
  const memory = page.getByLabel("Memory (MB)");
  await expect(memory).toHaveAttribute("aria-invalid", "true");
  await expect(memory).toHaveAccessibleDescription(
    /Not enough memory left on this page.*delete a VM/,
  );
  await expect(page.getByRole("region", { name: "VM onetoomany" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(fits);
});

test("a bare-metal program shows on the VM's screen and takes keys typed there", async ({
  page,
}) => {
  await page.goto("/playground");
  await page.getByLabel("Name", { exact: true }).fill("metal");
  await page.getByLabel("Memory (MB)").fill("16");
  await page.getByLabel("Boot from").selectOption("baremetal");
  await page.getByRole("button", { name: "Create VM" }).click();
  const vm = page.getByRole("region", { name: "VM metal" });
  await startVms(vm);
  const screen = vm.getByRole("tabpanel");
  await expect(screen).toContainText("vlabs bare metal");
  await vm.getByLabel("Screen of metal (focus to type on its keyboard)").focus();
  await page.keyboard.type("qz7");
  await expect(screen).toContainText("qz7");
  await expect(vm).toHaveAttribute("data-vm-state", "running");
});
