import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures";

/** Creates a VM with the form, as a person would; returns its panel. */
export async function createVm(
  page: Page,
  name: string,
  fields: { memoryMb?: string } = {},
): Promise<Locator> {
  await page.getByLabel("Name", { exact: true }).fill(name);
  if (fields.memoryMb) await page.getByLabel("Memory (MB)").fill(fields.memoryMb);
  await page.getByRole("button", { name: "Create VM" }).click();
  const panel = page.getByRole("region", { name: `VM ${name}` });
  await expect(panel).toBeVisible();
  return panel;
}

/** Starts VMs together and waits until each is running (seconds from a snapshot, a minute cold). */
export async function startVms(...panels: Locator[]): Promise<void> {
  for (const panel of panels)
    await panel.getByRole("button", { name: "Start", exact: true }).click();
  for (const panel of panels)
    await expect(panel).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });
}

/** Types a line into the VM's console (xterm) and waits for `expected` to show in it. */
export async function typeInConsole(
  page: Page,
  panel: Locator,
  line: string,
  expected: string | RegExp,
): Promise<void> {
  const name = (await panel.getAttribute("aria-label"))!.replace(/^VM /, "");
  await panel.getByRole("textbox", { name: `Console of ${name}` }).focus();
  await page.keyboard.type(`${line}\n`);
  await expect(panel.locator(".xterm-rows")).toContainText(expected, { timeout: 15_000 });
}

/** Creates a VM booting the installer with a blank 64 MB disk, and starts it. */
export async function startInstallerVm(page: Page, name: string): Promise<Locator> {
  await page.getByLabel("Boot from").selectOption("installer");
  await page.getByLabel("Disk", { exact: true }).selectOption("blank");
  await page.getByLabel("Disk size (MB)").fill("64");
  const installer = await createVm(page, name);
  await startVms(installer);
  return installer;
}

/** Answers the installer's two questions on the console, as a person would. */
export async function answerInstaller(
  page: Page,
  installer: Locator,
  hostname: string,
): Promise<void> {
  await expect(installer.locator(".xterm-rows")).toContainText("Hostname for the new system", {
    timeout: 120_000,
  });
  await typeInConsole(page, installer, hostname, "Install now? [y/N]: ");
  const name = (await installer.getAttribute("aria-label"))!.replace(/^VM /, "");
  await installer.getByRole("textbox", { name: `Console of ${name}` }).focus();
  await page.keyboard.type("y\n");
}
