import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium";
import { expect, test } from "./fixtures";
import { answerInstaller, startInstallerVm, typeInConsole } from "./vm-helpers";

/*
 * A power cut, as a learner meets one: the browser is killed (SIGKILL, no pagehide, no last save)
 * or the page reloaded while a guest writes without pause to its installed ext4 disk. Every round
 * boots the stored disk and finds a clean (or journal-recovered) filesystem and the marker file the
 * previous round synced a few seconds before its cut.
 */

test.describe.configure({ timeout: 600_000 });

const VM = "durable";
const HOST = "durable-host";
const PROMPT = `root@${HOST}:~# `;
/** Seconds between starting the writer loop and the cut, and how each round ends. */
const ROUNDS: { waitS: number; cut: "kill" | "reload" }[] = [
  { waitS: 3, cut: "kill" },
  { waitS: 8, cut: "reload" },
  { waitS: 5.5, cut: "kill" },
  { waitS: 4, cut: "kill" },
  { waitS: 6.5, cut: "reload" },
];

interface Browser {
  context: BrowserContext;
  page: Page;
}

async function launch(profileDir: string, baseURL: string): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    baseURL,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // A reload while a save is pending asks "leave this page?": the learner says yes.
  page.on("dialog", (dialog) => void dialog.accept());
  return { context, page };
}

/** SIGKILL to every process of the browser using this profile: nothing runs after it. */
function killBrowser(profileDir: string): number {
  try {
    const killed = execFileSync("pkill", ["-KILL", "-e", "-f", `user-data-dir=${profileDir}`], {
      encoding: "utf8",
    });
    return killed.split("\n").filter((line) => line.includes("killed")).length;
  } catch {
    return 0; // pkill exits 1 when nothing matched
  }
}

async function openPlayground(page: Page): Promise<Locator> {
  await page.goto("/playground");
  const storage = page.getByRole("region", { name: "Browser storage" });
  await expect(storage).toHaveAttribute("data-storage-state", "ready", { timeout: 60_000 });
  return page.getByRole("region", { name: `VM ${VM}`, exact: true });
}

test("synced writes survive power cuts and the ext4 disk always comes back clean", async ({
  baseURL,
}) => {
  const profileDir = mkdtempSync(path.join(tmpdir(), "vlabs-power-cut-"));
  let browser = await launch(profileDir, baseURL!);
  try {
    await openPlayground(browser.page);
    const installer = await startInstallerVm(browser.page, VM);
    await answerInstaller(browser.page, installer, HOST);
    await expect(installer.locator(".xterm-rows")).toContainText("Installation complete", {
      timeout: 300_000,
    });
    await installer.getByRole("button", { name: "Power off" }).click();
    await expect(installer).toHaveAttribute("data-vm-state", "stopped");
    await expect(installer.locator("[data-disk-save]")).toHaveAttribute("data-disk-save", "saved", {
      timeout: 60_000,
    });

    const verdicts: string[] = [];
    for (const [i, round] of ROUNDS.entries()) {
      const n = i + 1;
      const { page } = browser;
      const vm = await openPlayground(page);
      await expect(vm).toHaveAttribute("data-vm-state", "stopped");
      await vm.getByRole("button", { name: "Boot from disk" }).click();
      const rows = vm.locator(".xterm-rows");
      await expect(rows).toContainText(PROMPT, { timeout: 120_000 });
      const verdict = (await rows.textContent())!.match(/fsck: \/dev\/sda1: ([a-z, ]+)/)?.[1];
      verdicts.push(`round ${n}: ${verdict}`);
      expect(verdict, `round ${n}'s root filesystem check`).toMatch(/^(journal recovered, )?clean/);
      await typeInConsole(
        page,
        vm,
        `echo r${n}-errors=$(dmesg | grep -c 'EXT4-fs error')`,
        `r${n}-errors=0`,
      );
      if (n > 1)
        await typeInConsole(
          page,
          vm,
          `echo r${n}-found=$(cat /root/marker)`,
          `r${n}-found=m${n - 1}`,
        );
      // The marker is synced: from here the guest was told it is on the disk.
      await typeInConsole(
        page,
        vm,
        `echo m${n} > /root/marker && sync && echo r${n}-synced-$((40+2))`,
        `r${n}-synced-42`,
      );
      await typeInConsole(
        page,
        vm,
        `(i=0; while :; do i=$((i+1)); dd if=/dev/zero of=/root/fill bs=4k count=32 conv=fsync 2>/dev/null; echo $i > /root/count; done) & echo r${n}-writing-$((40+2))`,
        `r${n}-writing-42`,
      );
      await page.waitForTimeout(round.waitS * 1000);
      if (round.cut === "kill") {
        expect(killBrowser(profileDir), "browser processes killed").toBeGreaterThan(0);
        await browser.context.close().catch(() => undefined);
        browser = await launch(profileDir, baseURL!);
      } else {
        await page.reload();
      }
    }
    const vm = await openPlayground(browser.page);
    await vm.getByRole("button", { name: "Boot from disk" }).click();
    await expect(vm.locator(".xterm-rows")).toContainText(PROMPT, { timeout: 120_000 });
    await typeInConsole(
      browser.page,
      vm,
      "echo last-found=$(cat /root/marker)",
      `last-found=m${ROUNDS.length}`,
    );
    test.info().annotations.push({ type: "fsck verdicts", description: verdicts.join("; ") });
    console.log(`fsck verdicts: ${verdicts.join("; ")}`);
  } finally {
    await browser.context.close().catch(() => undefined);
    killBrowser(profileDir);
    rmSync(profileDir, { recursive: true, force: true });
  }
});
