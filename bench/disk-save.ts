/**
 * Disk saves on the production /playground, as a learner's page makes them: the cost of a save
 * with few changed chunks on a 64 MiB and a 512 MiB disk (it should follow the changed chunks, not
 * the disk), the first (whole) save of each, and the guest's own speed (vbench) while its disk is
 * saved over and over, against the same workload in a second tab, which keeps nothing (one tab
 * at a time keeps the playground's VMs), so it makes no saves.
 * Run: `npx tsx bench/disk-save.ts` (after a build), or through `npm run bench`; PARTS=costs or
 * PARTS=speed runs one half.
 */
import { chromium, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** vbench runs vary by 20% on a busy 2-core machine: the speed comparison takes more of them. */
const SPEED_ROUNDS = Number(process.env.SPEED_ROUNDS ?? Math.max(7, ROUNDS));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function createLiveVmWithDisk(page: Page, name: string, diskMb: number): Promise<Locator> {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Boot from").selectOption("live");
  await page.getByLabel("Disk", { exact: true }).selectOption("blank");
  await page.getByLabel("Disk size (MB)").fill(String(diskMb));
  await page.getByRole("button", { name: "Create VM" }).click();
  const panel = page.getByRole("region", { name: `VM ${name}`, exact: true });
  await panel.waitFor();
  await panel.getByRole("button", { name: "Start", exact: true }).click();
  await panel
    .locator(".xterm-rows")
    .getByText(`root@${name}:~# `)
    .first()
    .waitFor({ timeout: 120_000 });
  return panel;
}

let commands = 0;
const lines: string[] = [];
const log = (line: string): void => {
  lines.push(line);
  console.error(`  ${line}`);
};

/** Types a command and resolves with the console text once it has finished. */
async function run(panel: Locator, command: string, timeoutMs = 120_000): Promise<string> {
  const n = 100 + ++commands;
  // The marker the guest prints is not in the typed line (which the console echoes at once).
  const input = panel.getByRole("textbox", { name: /^Command for / });
  const then = command.trimEnd().endsWith("&") ? " " : "; ";
  await input.fill(`${command}${then}echo done-$((${n - 1}+1))`);
  await input.press("Enter");
  await panel.locator(".xterm-rows").getByText(`done-${n}`).first().waitFor({ timeout: timeoutMs });
  return (await panel.locator(".xterm-rows").textContent()) ?? "";
}

interface SaveFigures {
  ms: number;
  chunks: number;
}

/** The next save of `vm` the storage panel reports (after `previousGeneration`). */
async function nextSave(page: Page, vm: string, previousGeneration: number): Promise<SaveFigures> {
  const last = page.locator(`[data-last-save-vm="${vm}"]`);
  await page.waitForFunction(
    ([name, gen]) => {
      const el = document.querySelector(`[data-last-save-vm="${name}"]`);
      return el !== null && Number(el.getAttribute("data-last-save-generation")) > gen;
    },
    [vm, previousGeneration] as const,
    { timeout: 60_000 },
  );
  return {
    ms: Number(await last.getAttribute("data-last-save-ms")),
    chunks: Number(await last.getAttribute("data-last-save-chunks")),
  };
}

async function generation(page: Page, vm: string): Promise<number> {
  const g = await page
    .locator(`[data-last-save-vm="${vm}"]`)
    .getAttribute("data-last-save-generation")
    .catch(() => null);
  return Number(g ?? 0);
}

async function saveCosts(page: Page, diskMb: number): Promise<void> {
  const name = `d${diskMb}`;
  const vm = await createLiveVmWithDisk(page, name, diskMb);
  const first = await nextSave(page, name, 0);
  // Data in every chunk, so that the whole save of the disk stores every one.
  await run(
    vm,
    `tr '\\0' d </dev/zero | dd of=/dev/sda bs=1M count=${diskMb} iflag=fullblock conv=fsync 2>/dev/null`,
    600_000,
  );
  let gen = await generation(page, name);
  await page.waitForTimeout(3000);
  gen = await generation(page, name);
  const few: SaveFigures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Two changed chunks, synced: the flush starts the save at once.
    await run(
      vm,
      `dd if=/dev/zero of=/dev/sda bs=4k count=2 seek=${256 * (r + 1)} conv=fsync 2>/dev/null; dd if=/dev/zero of=/dev/sda bs=4k count=2 seek=${256 * (r + 9)} conv=fsync 2>/dev/null`,
    );
    const s = await nextSave(page, name, gen);
    gen = await generation(page, name);
    few.push(s);
    await page.waitForTimeout(1500);
    gen = await generation(page, name);
  }
  const slowest = page.locator("[data-slowest-save-ms]");
  log(
    `${diskMb} MiB disk: save with 2 changed chunks: median ${median(few.map((f) => f.ms))} ms (${few.map((f) => `${f.ms} ms/${f.chunks} chunks`).join(", ")}); first save (blank disk) ${first.ms} ms; slowest save so far on the page ${await slowest.getAttribute("data-slowest-save-ms")} ms (${await slowest.getAttribute("data-slowest-save-chunks")} chunks, while the disk was filled)`,
  );
  await vm.getByRole("button", { name: "Power off" }).click();
}

/** vbench seconds (its own "total" line), with a writer syncing the disk every 0.2 s or not. */
async function vbenchSeconds(panel: Locator, tag: string): Promise<number> {
  const text = await run(panel, `echo vb-${tag}-$(vbench -t 1024 100 | grep time_us)`, 300_000);
  const m = new RegExp(`vb-${tag}-time_us=(\\d+)`).exec(text);
  return m ? Number(m[1]) / 1e6 : NaN;
}

async function guestSpeed(base: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    // One browser profile (context), two tabs: they share the lock and the storage.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const keeper = await context.newPage();
    await keeper.goto(`${base}/playground`);
    await keeper.locator('[data-storage-state="ready"]').waitFor({ timeout: 60_000 });
    const other = await context.newPage();
    await other.goto(`${base}/playground`);
    const otherStorage = other.locator("[data-storage-state]");
    await other.waitForFunction(
      () =>
        ["ready", "unavailable"].includes(
          document.querySelector("[data-storage-state]")?.getAttribute("data-storage-state") ?? "",
        ),
      undefined,
      { timeout: 60_000 },
    );
    const otherState = await otherStorage.getAttribute("data-storage-state");
    if (otherState !== "unavailable")
      throw new Error(`the second tab should keep nothing, but its storage is ${otherState}`);
    const saved = await createLiveVmWithDisk(keeper, "saved", 64);
    const unsaved = await createLiveVmWithDisk(other, "unsaved", 64);
    const writer =
      "(i=0; while :; do i=$((i+1)); printf %08d $i | dd of=/dev/sda bs=8 seek=$(( (i % 64) * 131072 )) conv=fsync 2>/dev/null; sleep 0.2; done) &";
    await run(saved, writer);
    await run(unsaved, writer);
    // A first vbench in each compiles its hot code: not timed.
    await vbenchSeconds(saved, "warm-a");
    await vbenchSeconds(unsaved, "warm-b");
    const withSaves: number[] = [];
    const without: number[] = [];
    const gen = await generation(keeper, "saved");
    for (let r = 0; r < SPEED_ROUNDS; r++) {
      // Alternating which goes first, so that neither always follows the other.
      if (r % 2 === 0) {
        withSaves.push(await vbenchSeconds(saved, `s${r}`));
        without.push(await vbenchSeconds(unsaved, `u${r}`));
      } else {
        without.push(await vbenchSeconds(unsaved, `u${r}`));
        withSaves.push(await vbenchSeconds(saved, `s${r}`));
      }
    }
    const saves = (await generation(keeper, "saved")) - gen;
    const a = median(withSaves);
    const b = median(without);
    log(
      `guest speed while its disk is saved (vbench 1024 KiB x 100, a writer syncing every 0.2 s in both): ${a.toFixed(2)} s with saves (${saves} saves during the runs) vs ${b.toFixed(2)} s in a tab that keeps nothing: ${((a / b - 1) * 100).toFixed(1)}% slower (budget: within 10%); runs ${withSaves.join(", ")} vs ${without.join(", ")}`,
    );
  } finally {
    await browser.close();
  }
}

// PARTS=costs or PARTS=speed runs one half alone.
const parts = process.env.PARTS?.split(",") ?? ["costs", "speed"];
let server: RunningServer | undefined;
const base = process.env.BENCH_URL ?? (server = await startProductionServer(3198)).url;
try {
  if (parts.includes("costs")) await allSaveCosts();
  if (parts.includes("speed")) await guestSpeed(base);
} finally {
  await server?.stop();
}
console.log(lines.join("\n"));

async function allSaveCosts(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/playground`);
    await page.locator('[data-storage-state="ready"]').waitFor({ timeout: 60_000 });
    for (const mb of [64, 512]) await saveCosts(page, mb);
  } finally {
    await browser.close();
  }
}
