import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

// One guest for the whole file: terminal size, files in and out, paste, UTF-8.
test.describe.configure({ mode: "serial", timeout: 180_000 });

let page: Page;
let vm: Locator;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  page = await context.newPage();
  await page.goto("/playground");
  vm = await createVm(page, "hands");
  await startVms(vm);
});

test.afterAll(async () => {
  await page.context().close();
});

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/** What the console shows, its spaces as typed (xterm draws non-breaking ones). */
async function consoleText(): Promise<string> {
  const rows = vm.locator(".xterm-rows > div");
  return (await rows.allTextContents()).map((r) => r.replace(/\u00a0/g, " ")).join("\n");
}

/** The console's size as the page drew it (the box carries it). */
async function drawnSize(): Promise<string> {
  const box = vm.locator("[data-vm-console]");
  return `${await box.getAttribute("data-rows")} ${await box.getAttribute("data-cols")}`;
}

test("the guest learns the console's rows and columns, and again when it changes", async () => {
  const rows = vm.locator(".xterm-rows");
  await vm.locator("[data-vm-console]").scrollIntoViewIfNeeded();
  const before = await drawnSize();
  await expect(async () => {
    await typeInConsole(page, vm, "clear; stty size", /\d+ \d+/);
    await expect(rows).toContainText(before, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  // A narrower window refits the terminal; the guest's tty follows.
  await page.setViewportSize({ width: 760, height: 900 });
  await expect.poll(drawnSize).not.toBe(before);
  const narrower = await drawnSize();
  await expect(async () => {
    await typeInConsole(page, vm, "clear; stty size", /\d+ \d+/);
    await expect(rows).toContainText(narrower, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  // Full screen: the console fills the window, with more rows.
  await vm.getByRole("button", { name: "Full screen" }).click();
  await expect.poll(drawnSize).not.toBe(narrower);
  const full = await drawnSize();
  expect(Number(full.split(" ")[0])).toBeGreaterThan(Number(narrower.split(" ")[0]));
  await expect(async () => {
    await typeInConsole(page, vm, "clear; stty size", /\d+ \d+/);
    await expect(rows).toContainText(full, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await vm.getByRole("button", { name: "Full screen" }).click();
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("a dropped 1 MiB file arrives whole in /root/shared, and a guest file downloads whole", async () => {
  const files = vm.getByRole("region", { name: /^Files/ });
  // 1 MiB of bytes that are not all alike (a simple generator: every value, no short period).
  const local = new Uint8Array(1024 * 1024);
  let x = 12345;
  for (let i = 0; i < local.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    local[i] = x >>> 24;
  }
  const drop = await page.evaluateHandle((base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "blob.bin"));
    return transfer;
  }, Buffer.from(local).toString("base64"));
  await files.locator("[data-drop-zone]").dispatchEvent("drop", { dataTransfer: drop });
  await expect(files.getByRole("status")).toContainText("blob.bin (1.0 MB)");
  await expect(files.getByRole("button", { name: "Download blob.bin" })).toBeVisible();
  await typeInConsole(
    page,
    vm,
    "clear; sha256sum /root/shared/blob.bin",
    `${sha256(local)}  /root/shared/blob.bin`,
  );

  // The guest writes a file; it comes out by its path in the folder, same bytes.
  await typeInConsole(
    page,
    vm,
    // Made in /tmp and copied: every write to the 9p folder is a round trip to the host, and
    // `yes | head` writes a few bytes at a time.
    "clear; yes vlabs | head -c 1048576 > /tmp/out.txt; cp /tmp/out.txt /root/shared/; sha256sum /root/shared/out.txt",
    /[0-9a-f]{64} {2}\/root\/shared\/out\.txt/,
  );
  const guestSum = (await consoleText()).match(/([0-9a-f]{64})\s+\/root\/shared\/out\.txt/)![1];
  const want = "vlabs\n".repeat(Math.ceil(1048576 / 6)).slice(0, 1048576);
  expect(guestSum).toBe(sha256(want));
  await files.getByLabel("File in /root/shared").fill("/root/shared/out.txt");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    files.getByRole("button", { name: "Download file" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("out.txt");
  expect(sha256(await readFile((await download.path())!))).toBe(guestSum);

  // Nothing outside the folder: refused where it was typed.
  await files.getByLabel("File in /root/shared").fill("/etc/passwd");
  await files.getByRole("button", { name: "Download file" }).click();
  await expect(files.getByRole("alert")).toContainText("is outside /root/shared");
  await files.getByLabel("File in /root/shared").fill("../../etc/passwd");
  await files.getByRole("button", { name: "Download file" }).click();
  await expect(files.getByRole("alert")).toContainText("cannot be");
});

test("a paste of 200 lines arrives whole and in order", async () => {
  const lines = Array.from(
    { length: 200 },
    (_, i) =>
      `line ${String(i + 1).padStart(3, "0")} of the pasted text: abcdefghijklmnopqrstuvwxyz`,
  );
  const text = `${lines.join("\n")}\n`;
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await typeInConsole(page, vm, "cat > /root/pasted.txt", "cat > /root/pasted.txt");
  await vm.getByRole("button", { name: "Paste", exact: true }).click();
  await expect(vm.locator(".xterm-rows")).toContainText("line 200 of the pasted text", {
    timeout: 30_000,
  });
  await page.keyboard.press("Control+D");
  await typeInConsole(
    page,
    vm,
    "clear; wc -l < /root/pasted.txt; sha256sum /root/pasted.txt",
    /[0-9a-f]{64}/,
  );
  const shown = await consoleText();
  expect(shown.replace(/\s+/g, " ")).toContain(`${sha256(text)} /root/pasted.txt`);
  expect(shown).toMatch(/^200$/m);
});

test("UTF-8 typed on the serial console arrives and shows intact", async () => {
  // The bytes the guest received: é is 303 251 in octal, ✓ is 342 234 223.
  await typeInConsole(page, vm, "clear; echo héllo ✓ | od -An -b", /303\s+251.*342\s+234\s+223/);
  await typeInConsole(page, vm, "clear; echo héllo ✓; echo $((6*7))x", "42x");
  expect((await consoleText()).split("\n").map((line) => line.trimEnd())).toContain("héllo ✓");
  await expect(vm.locator(".xterm-rows")).not.toContainText("Ã");
});

test("on the VGA screen a German, French or UK keyboard types what its keys say", async () => {
  await page.getByLabel("Name", { exact: true }).fill("metal");
  await page.getByLabel("Memory (MB)").fill("16");
  await page.getByLabel("Boot from").selectOption("baremetal");
  await page.getByRole("button", { name: "Create VM" }).click();
  const metal = page.getByRole("region", { name: "VM metal" });
  await startVms(metal);
  const screen = metal.getByLabel("Screen of metal (focus to type on its keyboard)");
  await expect(screen).toContainText("vlabs bare metal");
  // What each layout's keyboard reports: the character (key) and the key's place (code).
  const presses = [
    { key: "z", code: "KeyY" }, // German Z sits where US has Y
    { key: "a", code: "KeyQ" }, // French A sits where US has Q
    { key: "/", code: "Digit7", shift: true }, // German Shift+7
    { key: '"', code: "Digit2", shift: true }, // UK Shift+2
  ];
  await screen.evaluate((el, list) => {
    const send = (type: string, key: string, code: string, shiftKey: boolean) =>
      el.dispatchEvent(
        new KeyboardEvent(type, { key, code, shiftKey, bubbles: true, cancelable: true }),
      );
    for (const { key, code, shift } of list) {
      if (shift) send("keydown", "Shift", "ShiftLeft", true);
      send("keydown", key, code, Boolean(shift));
      send("keyup", key, code, Boolean(shift));
      if (shift) send("keyup", "Shift", "ShiftLeft", false);
    }
  }, presses);
  await expect(screen).toContainText('za/"');
});
