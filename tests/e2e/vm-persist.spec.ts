import type { Locator, Page } from "@playwright/test";
import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";
import { answerInstaller, createVm, startInstallerVm, startVms, typeInConsole } from "./vm-helpers";
import { createSwitchedVm, GUEST_ADDRESSES, onlyAddress } from "./vm-net-helpers";

test.describe.configure({ timeout: 480_000 });

function report(kind: string, text: string): void {
  console.log(`${kind}: ${text}`);
  test.info().annotations.push({ type: kind, description: text });
}

function storage(page: Page): Locator {
  return page.getByRole("region", { name: "Browser storage" });
}

function storedRow(page: Page, name: string): Locator {
  return storage(page).locator(`[data-vm-storage="${name}"]`);
}

/** Opens the playground and waits until the stored VMs are back; returns ms from goto to that. */
async function openPlayground(page: Page): Promise<number> {
  const startedAt = Date.now();
  await page.goto("/playground");
  await expect(storage(page)).toHaveAttribute("data-storage-state", "ready", { timeout: 30_000 });
  return Date.now() - startedAt;
}

/** Waits until the VM's record is stored and its disk has no unsaved writes. */
async function waitStored(page: Page, name: string): Promise<Locator> {
  const row = storedRow(page, name);
  await expect(row).toHaveAttribute("data-stored", "true", { timeout: 30_000 });
  await expect(row).toHaveAttribute("data-disk-state", "saved", { timeout: 60_000 });
  return row;
}

/** Waits until the usage figures show what the last disk save stored. */
async function waitUsageAfterSave(page: Page, name: string): Promise<number> {
  const row = await waitStored(page, name);
  const lastSave = storage(page).locator(`[data-last-save-vm="${name}"]`);
  await expect(async () => {
    const saved = await lastSave.getAttribute("data-last-save-stored-bytes");
    expect(await row.getAttribute("data-disk-bytes")).toBe(saved);
  }).toPass({ timeout: 30_000 });
  return Number(await row.getAttribute("data-disk-bytes"));
}

test("an installed disk survives a reload: the VM is listed and boots its installed system", async ({
  page,
}) => {
  await openPlayground(page);
  const installer = await startInstallerVm(page, "inst1");
  await answerInstaller(page, installer, "kept-system");
  await expect(installer.locator(".xterm-rows")).toContainText(
    "Installation complete: 'kept-system' is on /dev/sda.",
    { timeout: 300_000 },
  );
  // Power off: the disk is saved when the VM stops.
  await installer.getByRole("button", { name: "Power off" }).click();
  await expect(installer).toHaveAttribute("data-vm-state", "stopped");
  const storedBytes = await waitUsageAfterSave(page, "inst1");
  expect(storedBytes).toBeGreaterThan(1024 * 1024);
  // Zero chunks are not stored: far less than the 64 MiB disk.
  expect(storedBytes).toBeLessThan(64 * 1024 * 1024);
  const lastSave = storage(page).locator("[data-last-save-ms]");
  report(
    "disk save after install",
    `${await lastSave.getAttribute("data-last-save-ms")} ms (last save), slowest ${await lastSave.getAttribute("data-slowest-save-ms")} ms (${await lastSave.getAttribute("data-slowest-save-chunks")} chunks written), ${storedBytes} bytes stored of a 64 MiB disk, generation ${await lastSave.getAttribute("data-last-save-generation")}`,
  );

  const reloadMs = await openPlayground(page);
  const restored = page.getByRole("region", { name: "VM inst1", exact: true });
  await expect(restored).toHaveAttribute("data-vm-state", "stopped");
  report(
    "reload to listed",
    `${reloadMs} ms test-side, restore ${await storage(page).getAttribute("data-restore-ms")} ms in the page`,
  );
  await expect(storedRow(page, "inst1")).toHaveAttribute("data-disk-bytes", String(storedBytes));
  await expect(storedRow(page, "inst1")).toHaveAttribute("data-installed", "true");

  const clickedAt = Date.now();
  await restored.getByRole("button", { name: "Boot from disk" }).click();
  await expect(restored.locator(".xterm-rows")).toContainText("root@kept-system:~# ", {
    timeout: 120_000,
  });
  report(
    "boot from stored disk",
    `${Date.now() - clickedAt} ms click to prompt (test-side), boot ${await restored.locator('[data-stat="boot-ms"]').textContent()}`,
  );
  await typeInConsole(page, restored, "cat /etc/hostname; echo h-$((2*21))", "h-42");
  await expectNoSeriousAxeViolations(page);
});

test("a corrupted stored record is reported and set aside; the other VMs still load", async ({
  page,
}) => {
  await openPlayground(page);
  await createVm(page, "keep1");
  await createVm(page, "bad1");
  await waitStored(page, "keep1");
  await waitStored(page, "bad1");

  // Garbage in place of bad1's record, as a broken write or another program could leave it.
  const badId = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open("vlabs-machines");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction("vms", "readwrite");
    const store = tx.objectStore("vms");
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const r = store.getAllKeys();
      r.onsuccess = () => resolve(r.result);
    });
    const values = await new Promise<{ config: { name: string } }[]>((resolve) => {
      const r = store.getAll();
      r.onsuccess = () => resolve(r.result as { config: { name: string } }[]);
    });
    const key = keys[values.findIndex((v) => v.config.name === "bad1")]!;
    store.put({ schema: 2, id: key, config: "garbage \u0000\u00ff" }, key);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    return String(key);
  });

  await openPlayground(page);
  await expect(page.getByRole("region", { name: "VM keep1", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "VM bad1", exact: true })).toHaveCount(0);
  const problem = storage(page).getByRole("alert");
  await expect(problem).toContainText(`VM record ${badId}`);
  await expect(problem).toContainText("mac is undefined");
  const entry = storage(page).locator(`[data-quarantined="VM record ${badId}"]`);
  await expect(entry).toBeVisible();

  const download = page.waitForEvent("download");
  await entry.getByRole("button", { name: `Download VM record ${badId}` }).click();
  const file = await download;
  const { readFile } = await import("node:fs/promises");
  const json = JSON.parse(await readFile((await file.path())!, "utf8")) as {
    reason: string;
    records: { store: string; value: { config: string } }[];
  };
  expect(json.records[0]).toMatchObject({
    store: "vms",
    value: { config: "garbage \u0000\u00ff" },
  });

  await entry.getByRole("button", { name: `Delete VM record ${badId}` }).click();
  // The safe choice has the focus.
  await expect(entry.getByRole("button", { name: "Cancel" })).toBeFocused();
  await entry.getByRole("button", { name: "Yes, delete" }).click();
  await expect(entry).toHaveCount(0);

  // Deleting a VM deletes what is stored of it.
  const keep = page.getByRole("region", { name: "VM keep1", exact: true });
  await keep.getByRole("button", { name: "Delete" }).click();
  await expect(storage(page).locator("[data-vm-storage]")).toHaveCount(0);
  await openPlayground(page);
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
});

test("a snapshot survives a reload and restores the state it was taken in", async ({ page }) => {
  await openPlayground(page);
  const vm = await createVm(page, "snapkeep");
  await startVms(vm);
  await expect(vm.locator(".xterm-rows")).toContainText("@snapkeep:~# ", { timeout: 30_000 });
  await typeInConsole(page, vm, "echo before-reload > /root/kept && echo ok-$((4+4))", "ok-8");
  await vm.getByRole("button", { name: "Snapshot", exact: true }).click();
  await expect(vm.locator('[data-snapshot="snap-1"]')).toBeVisible({ timeout: 60_000 });
  const row = storedRow(page, "snapkeep");
  await expect(row).not.toHaveAttribute("data-snapshot-bytes", "0", { timeout: 30_000 });

  await openPlayground(page);
  const back = page.getByRole("region", { name: "VM snapkeep", exact: true });
  await expect(back).toHaveAttribute("data-vm-state", "stopped");
  await expect(back.locator('[data-snapshot="snap-1"]')).toBeVisible();
  await back.getByRole("button", { name: "Restore snap-1" }).click();
  await expect(back).toHaveAttribute("data-vm-state", "running", { timeout: 60_000 });
  await typeInConsole(page, back, "echo got-$(cat /root/kept)", "got-before-reload");
});

test("a reload in the middle of an install leaves a stored disk that loads whole", async ({
  page,
}) => {
  await openPlayground(page);
  const installer = await startInstallerVm(page, "inst2");
  await answerInstaller(page, installer, "half-done");
  // Reload while the installer writes (a save may be waiting for quiet or running).
  await expect(async () => {
    const written = await installer.locator('[data-stat="disk-write-bytes"]').textContent();
    expect(Number(written)).toBeGreaterThan(2 * 1024 * 1024);
  }).toPass({ timeout: 180_000 });
  const partial = installer.locator(".xterm-rows");
  await expect(partial).not.toContainText("Installation complete");

  await openPlayground(page);
  const back = page.getByRole("region", { name: "VM inst2", exact: true });
  await expect(back).toHaveAttribute("data-vm-state", "stopped");
  report(
    "stored after a reload mid-install",
    `${await storedRow(page, "inst2").getAttribute("data-disk-bytes")} bytes of disk data`,
  );
  // Starting reads the stored disk and checks every chunk against its manifest.
  await startVms(back);
  await expect(back.locator(".xterm-rows")).toContainText("Hostname for the new system", {
    timeout: 120_000,
  });
  await expect(storage(page).getByRole("alert")).toHaveCount(0);
  await expect(storage(page).locator("[data-quarantined]")).toHaveCount(0);
  await expect(back.getByRole("alert")).toHaveCount(0);
});

test("a second tab does not keep VMs while the first one does", async ({ page, context }) => {
  await openPlayground(page);
  const second = await context.newPage();
  await second.goto("/playground");
  await expect(storage(second)).toHaveAttribute("data-storage-state", "unavailable", {
    timeout: 30_000,
  });
  await expect(storage(second).getByRole("alert")).toContainText("another tab");
  await page.close();
  // Once the first tab is gone, a reload takes over.
  await openPlayground(second);
});

test("a clone is kept like any VM, and Delete everything stored empties the browser's copy", async ({
  page,
}) => {
  await openPlayground(page);
  const original = await createVm(page, "orig1");
  await startVms(original);
  await typeInConsole(page, original, "echo cloned > /root/mark && echo ok-$((3+3))", "ok-6");
  await original.getByRole("button", { name: "Snapshot", exact: true }).click();
  await expect(original.locator('[data-snapshot="snap-1"]')).toBeVisible({ timeout: 60_000 });
  await original.getByRole("button", { name: "Clone snap-1" }).click();
  const clone = page.getByRole("region", { name: "VM orig1-clone-1", exact: true });
  await expect(clone).toHaveAttribute("data-vm-state", "running", { timeout: 60_000 });
  await waitStored(page, "orig1-clone-1");

  await openPlayground(page);
  await expect(page.getByRole("region", { name: "VM orig1", exact: true })).toBeVisible();
  const keptClone = page.getByRole("region", { name: "VM orig1-clone-1", exact: true });
  await expect(keptClone).toHaveAttribute("data-vm-state", "stopped");

  await storage(page).getByRole("button", { name: "Delete everything stored" }).click();
  const confirm = storage(page).getByRole("group", { name: /Delete every stored VM/ });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Yes, delete" }).click();
  await expect(storage(page)).toContainText("Deleted everything stored for the playground.");
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(0);
  await expect(storage(page).locator("[data-vm-storage]")).toHaveCount(0);

  // Nothing comes back: the database holds no VM, disk or snapshot.
  await openPlayground(page);
  await expect(page.getByRole("region", { name: /^VM / })).toHaveCount(0);
  const left = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open("vlabs-machines");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const counts: Record<string, number> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      counts[name] = await new Promise<number>((resolve) => {
        const r = db.transaction(name).objectStore(name).count();
        r.onsuccess = () => resolve(r.result);
      });
    }
    db.close();
    return counts;
  });
  expect(
    Object.values(left).reduce((a, b) => a + b, 0),
    JSON.stringify(left),
  ).toBe(0);
});

test("a VM on the switch keeps its address across a reload; a new VM gets the lowest free one", async ({
  page,
}) => {
  await openPlayground(page);
  const first = await createSwitchedVm(page, "addr-a");
  await createSwitchedVm(page, "addr-b");
  await first.getByRole("button", { name: "Delete" }).click();
  await expect(first).toHaveCount(0);
  await waitStored(page, "addr-b");

  await openPlayground(page);
  const kept = page.getByRole("region", { name: "VM addr-b", exact: true });
  await startVms(kept);
  // 10.0.0.1 is free again, but addr-b keeps the address it was given.
  await expect(kept.locator('[data-stat="ip"]')).toHaveText("10.0.0.2", { timeout: 30_000 });
  await typeInConsole(page, kept, GUEST_ADDRESSES, onlyAddress("10.0.0.2/24"));
  const next = await createSwitchedVm(page, "addr-c");
  await startVms(next);
  await expect(next.locator('[data-stat="ip"]')).toHaveText("10.0.0.1", { timeout: 30_000 });
});
