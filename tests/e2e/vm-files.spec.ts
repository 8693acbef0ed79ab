import { readFile } from "node:fs/promises";
import type { Download, Locator, Page } from "@playwright/test";
import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";
import { answerInstaller, createVm, startInstallerVm, startVms, typeInConsole } from "./vm-helpers";

test.describe.configure({ timeout: 420_000 });

async function saved(download: Promise<Download>): Promise<{ name: string; bytes: Buffer }> {
  const d = await download;
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: await readFile(path) };
}

async function importFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page
    .getByLabel("Disk or snapshot file")
    .setInputFiles({ name, mimeType: "application/octet-stream", buffer: bytes });
}

function importAlert(page: Page): Locator {
  return page.getByRole("region", { name: "Import a disk or snapshot" }).getByRole("alert");
}

function vmPanels(page: Page): Locator {
  return page.getByRole("region", { name: /^VM / });
}

/** xterm stops drawing while it is out of view: bring the console into view, as a person would. */
async function expectPrompt(panel: Locator, prompt: string): Promise<void> {
  const box = panel.locator("[data-vm-console]");
  await box.scrollIntoViewIfNeeded();
  await expect(box.locator(".xterm-rows")).toContainText(prompt, { timeout: 60_000 });
}

function report(kind: string, text: string): void {
  console.log(`${kind}: ${text}`);
  test.info().annotations.push({ type: kind, description: text });
}

test("a snapshot exported to a file and imported runs with the state it was taken in", async ({
  page,
}) => {
  await page.goto("/playground");
  const original = await createVm(page, "files1");
  await startVms(original);
  await expectPrompt(original, "@files1:~# ");
  await typeInConsole(
    page,
    original,
    "echo kept-in-snapshot > /root/exported && echo ok-$((2+3))",
    "ok-5",
  );
  await original.getByRole("button", { name: "Snapshot", exact: true }).click();
  await expect(original.locator('[data-snapshot="snap-1"]')).toBeVisible({ timeout: 60_000 });

  const download = page.waitForEvent("download");
  await original.getByRole("button", { name: "Export snap-1" }).click();
  const file = await saved(download);
  expect(file.name).toBe("files1-snap-1.vlabs-snapshot");
  await expect(original.getByText(/Exported files1-snap-1\.vlabs-snapshot/)).toBeVisible();
  report(
    "snapshot file",
    `${file.bytes.byteLength} bytes, export ${await original.locator("[data-op-ms]").getAttribute("data-op-ms")} ms`,
  );

  // Into a VM's own list: refused where the machine differs, added where it fits.
  const big = await createVm(page, "big1", { memoryMb: "160" });
  const target = page.getByLabel("A snapshot goes to");
  await target.selectOption({ label: "big1's snapshots" });
  await importFile(page, file.name, file.bytes);
  await expect(importAlert(page)).toHaveText(
    "files1-snap-1.vlabs-snapshot: It cannot go to big1: this snapshot was made for 128 MB of memory, not 160.",
  );
  await expect(big.locator("[data-snapshot]")).toHaveCount(0);
  await target.selectOption({ label: "files1's snapshots" });
  await importFile(page, file.name, file.bytes);
  await expect(page.locator("[data-import-ms]")).toHaveText("Added snap-2 to files1's snapshots.");
  await typeInConsole(page, original, "rm /root/exported && echo rm-$((3+4))", "rm-7");
  await original.getByRole("button", { name: "Restore snap-2" }).click();
  await expect(original.getByText(/Restored snap-2 in \d+ ms/)).toBeVisible({ timeout: 30_000 });
  await typeInConsole(page, original, "echo back-$(cat /root/exported)", "back-kept-in-snapshot");
  await target.selectOption({ label: "A new VM" });

  // The VMs go away: whatever the imported VM knows came from the file.
  await big.getByRole("button", { name: "Delete" }).click();
  await original.getByRole("button", { name: "Delete" }).click();
  await expect(vmPanels(page)).toHaveCount(0);

  const importedAt = Date.now();
  await importFile(page, file.name, file.bytes);
  const imported = page.getByRole("region", { name: "VM files1-snap-1", exact: true });
  await expect(imported).toHaveAttribute("data-vm-state", "running", { timeout: 60_000 });
  const done = page.locator("[data-import-ms]");
  await expect(done).toContainText("Started files1-snap-1 from files1's snapshot snap-1.");
  report(
    "snapshot import",
    `read and checked in ${await done.getAttribute("data-import-ms")} ms, running ${Date.now() - importedAt} ms after the file was chosen (test-side)`,
  );
  await expectPrompt(imported, "@files1-snap-1:~# ");
  await typeInConsole(page, imported, "echo got-$(cat /root/exported)", "got-kept-in-snapshot");
  // The snapshot came along in the new VM's list, ready to restore again.
  await expect(imported.locator('[data-snapshot="snap-1"]')).toBeVisible();
});

test("a disk with an installed system, exported and imported, boots in a new VM with its marker", async ({
  page,
}) => {
  await page.goto("/playground");
  const installer = await startInstallerVm(page, "inst1");
  await answerInstaller(page, installer, "disk-mark");
  await expect(installer.locator(".xterm-rows")).toContainText(
    "Installation complete: 'disk-mark' is on /dev/sda.",
    { timeout: 240_000 },
  );
  // A marker in the gap between the MBR and the first partition, written by the guest.
  await typeInConsole(
    page,
    installer,
    "printf VLABS-MARK-42 | dd of=/dev/sda bs=512 seek=1 conv=notrunc 2>/dev/null; sync; echo w-$((6*7))",
    "w-42",
  );

  const download = page.waitForEvent("download");
  await installer.getByRole("button", { name: "Export disk" }).click();
  const file = await saved(download);
  expect(file.name).toBe("inst1.vlabs-disk");
  const exported = installer.locator("[data-disk-export-ms]");
  await expect(exported).toContainText("Exported inst1.vlabs-disk: 64.0 MB disk");
  // Paused for the copy, running again after it.
  await expect(installer).toHaveAttribute("data-vm-state", "running");
  report(
    "disk file (64 MB, installed system)",
    `${file.bytes.byteLength} bytes, export ${await exported.getAttribute("data-disk-export-ms")} ms`,
  );
  expect(file.bytes.byteLength).toBeLessThan(64 * 1024 * 1024);

  await installer.getByRole("button", { name: "Delete" }).click();
  await expect(vmPanels(page)).toHaveCount(0);
  await importFile(page, file.name, file.bytes);
  const done = page.locator("[data-import-ms]");
  await expect(done).toContainText("Created inst1 with the 64.0 MB disk from the file", {
    timeout: 60_000,
  });
  report("disk import", `${await done.getAttribute("data-import-ms")} ms`);
  const copy = page.getByRole("region", { name: "VM inst1", exact: true });
  await expect(copy).toContainText("Its own disk, 128 MB, 64 MB disk");
  await startVms(copy);
  await expectPrompt(copy, "root@disk-mark:~# ");
  await typeInConsole(
    page,
    copy,
    "dd if=/dev/sda bs=512 skip=1 count=1 2>/dev/null | head -c 13; echo ' read'",
    "VLABS-MARK-42 read",
  );
});

test("a broken or truncated file shows why next to the file input and creates no VM", async ({
  page,
}) => {
  await page.goto("/playground");
  // A stopped VM with a small blank disk gives a real export to cut short.
  await page.getByLabel("Disk", { exact: true }).selectOption("blank");
  await page.getByLabel("Disk size (MB)").fill("1");
  const vm = await createVm(page, "small1");
  const download = page.waitForEvent("download");
  await vm.getByRole("button", { name: "Export disk" }).click();
  const file = await saved(download);
  expect(file.name).toBe("small1.vlabs-disk");

  const alert = importAlert(page);
  const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256));
  await importFile(page, "junk.vlabs-disk", junk);
  await expect(alert).toHaveText(
    "junk.vlabs-disk: This is not a Virtualization Labs disk or snapshot file.",
  );
  await importFile(page, "cut.vlabs-disk", file.bytes.subarray(0, file.bytes.byteLength - 100));
  await expect(alert).toContainText("cut.vlabs-disk: The file is truncated");
  const flipped = Buffer.from(file.bytes);
  flipped[flipped.byteLength - 10]! ^= 0x40;
  await importFile(page, "flipped.vlabs-disk", flipped);
  await expect(alert).toContainText("flipped.vlabs-disk: The file's contents are damaged");
  await expect(vmPanels(page)).toHaveCount(1);

  // The input is a labelled, focusable control, and the page stays accessible with the error.
  await page.getByLabel("A snapshot goes to").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Disk or snapshot file")).toBeFocused();
  await expectNoSeriousAxeViolations(page);

  // The whole file imports: a second VM named after the file, made unique.
  await importFile(page, file.name, file.bytes);
  await expect(page.getByRole("region", { name: "VM small1-2", exact: true })).toBeVisible();
  await expect(alert).toHaveCount(0);
});
