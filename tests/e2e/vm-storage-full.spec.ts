import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

test.describe.configure({ timeout: 300_000 });

const PROMPT = "root@quota:~# ";

function storage(page: Page): Locator {
  return page.getByRole("region", { name: "Browser storage" });
}

async function openPlayground(page: Page): Promise<void> {
  await page.goto("/playground");
  await expect(storage(page)).toHaveAttribute("data-storage-state", "ready", { timeout: 30_000 });
}

/**
 * Sets the quota Chromium gives this site's storage (undefined: back to the default). The
 * override lasts while its DevTools session is attached, and Chromium applies it to IndexedDB
 * only when set before the site first opens its storage.
 */
async function quotaSetter(
  page: Page,
  origin: string,
): Promise<(bytes: number | undefined) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  return async (bytes) => {
    await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: bytes });
  };
}

async function createLiveVmWithDisk(page: Page, name: string): Promise<Locator> {
  await page.getByLabel("Boot from").selectOption("live");
  await page.getByLabel("Disk", { exact: true }).selectOption("blank");
  await page.getByLabel("Disk size (MB)").fill("16");
  return createVm(page, name);
}

test("a save the browser refuses for quota keeps the previous disk and says what to free", async ({
  page,
  baseURL,
}) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  const setQuota = await quotaSetter(page, new URL(baseURL!).origin);
  // Room for the VM and a first megabyte of data; the 8 MiB written later do not fit.
  await setQuota(6 * 1024 * 1024);
  await openPlayground(page);
  const vm = await createLiveVmWithDisk(page, "quota");
  await startVms(vm);
  const status = vm.locator("[data-disk-save]");
  await typeInConsole(
    page,
    vm,
    "tr '\\0' f </dev/zero | dd of=/dev/sda bs=64k count=16 iflag=fullblock conv=fsync 2>/dev/null; echo wrote-first-$((40+2))",
    "wrote-first-42",
  );
  await expect(status).toHaveAttribute("data-disk-save", "saved", { timeout: 30_000 });
  await expect(status).toHaveText(/Disk saved \d+ s ago/);

  await typeInConsole(
    page,
    vm,
    "tr '\\0' s </dev/zero | dd of=/dev/sda bs=1M count=8 seek=4 iflag=fullblock conv=fsync 2>/dev/null; echo wrote-second-$((40+2))",
    "wrote-second-42",
  );
  const alert = storage(page).getByRole("alert");
  await expect(alert).toContainText("storage for this site is full", { timeout: 30_000 });
  await expect(alert).toContainText("last save is intact");
  await expect(alert).toContainText("delete snapshots or VMs");
  await expect(status).not.toHaveAttribute("data-disk-save", "saved");

  // Reloaded with the quota still small: the page asks first (a disk has unsaved writes), and the
  // disk is the one saved before the refusal.
  await openPlayground(page);
  expect(dialogs).toEqual(["beforeunload"]);
  const back = page.getByRole("region", { name: "VM quota", exact: true });
  await startVms(back);
  await expect(back.locator(".xterm-rows")).toContainText(PROMPT, { timeout: 60_000 });
  await typeInConsole(page, back, "echo got-$(head -c 5 /dev/sda)", "got-fffff");
  await typeInConsole(
    page,
    back,
    "echo later-$(dd if=/dev/sda bs=1M skip=4 count=8 2>/dev/null | tr -d '\\0' | wc -c)",
    "later-0",
  );
  await expect(storage(page).locator("[data-quarantined]")).toHaveCount(0);

  // With room again, the next save stores the disk.
  await setQuota(undefined);
  await typeInConsole(
    page,
    back,
    "echo third | dd of=/dev/sda bs=512 seek=100 conv=fsync 2>/dev/null; echo wrote-third-$((40+2))",
    "wrote-third-42",
  );
  await expect(back.locator("[data-disk-save]")).toHaveAttribute("data-disk-save", "saved", {
    timeout: 30_000,
  });
});
