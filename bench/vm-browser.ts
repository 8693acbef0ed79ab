/**
 * The VM runtime in headless Chromium against its budgets: click-to-prompt from the boot
 * snapshot, cold boot per yield strategy vs Node, guest MIPS with 1 and 4 VMs, and page input
 * latency while 4 VMs run. Prints a table. Run: `npx tsx bench/vm-browser.ts` (after a build).
 * BENCH_URL=http://127.0.0.1:3207 uses a running server; ROUNDS=2 repeats the cold boots.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { chromium, type Locator, type Page } from "playwright-core";
import { IMAGES_DIR, NodeVm } from "../guest/node-vm";
import { parseManifest, type Manifest } from "../lib/emulator/manifest";
import {
  buildV86Options,
  type ImageSource,
  type ProfileFileKey,
} from "../lib/emulator/v86-options";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";
import { createVm, note, printFigures, sendLine, stat, waitState } from "./playground-steps";

const ROUNDS = Number(process.env.ROUNDS ?? 1);
const YIELD_MODES = ["v86-default", "message-channel", "scheduler"] as const;
const WORKER_YIELD_MODES = (process.env.MODES?.split(",") ?? [
  ...YIELD_MODES,
  "helper-worker",
]) as string[];

async function openPage(
  base: string,
  query = "",
): Promise<{ page: Page; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/playground${query}`);
  return { page, close: () => browser.close() };
}

/** Click on Start -> a command answered, from the boot snapshot (downloads warm, as on a second VM). */
async function clickToPrompt(base: string): Promise<void> {
  const { page, close } = await openPage(base);
  try {
    const warm = await createVm(page, "warm");
    await warm.getByRole("button", { name: "Start", exact: true }).click();
    await waitState(warm, "running", { pollingMs: 50 });
    await warm.getByRole("button", { name: "Delete" }).click();
    for (let i = 0; i < 6; i++) {
      const panel = await createVm(page, `snap${i}`);
      // Runs 4-6 give the VM time to be pre-warmed (its panel prepares it), as a learner
      // reading the page would; runs 1-3 press Start at once.
      const warm = i >= 3;
      if (warm) await page.waitForTimeout(5000);
      const t0 = Date.now();
      await panel.getByRole("button", { name: "Start", exact: true }).click();
      await waitState(panel, "running", { pollingMs: 50 });
      await sendLine(panel, `echo answer-$((${i}+40))`);
      await panel
        .locator(".xterm-rows")
        .getByText(`answer-${i + 40}`)
        .waitFor();
      note(
        `click Start -> command answered, snapshot${warm ? ", pre-warmed" : ", at once"}, run ${i + 1}`,
        `${Date.now() - t0} ms (boot-ms stat ${await stat(panel, "boot-ms")})`,
        warm ? "<= 300 ms" : "<= 1500 ms",
      );
      await panel.getByRole("button", { name: "Delete" }).click();
    }
  } finally {
    await close();
  }
}

async function coldBootChromium(base: string, mode: string): Promise<number> {
  const { page, close } = await openPage(base, `?yield=${mode}`);
  try {
    const panel = await createVm(page, "cold");
    await panel.getByRole("button", { name: "Cold boot" }).click();
    await waitState(panel, "running", { timeoutMs: 180_000, pollingMs: 50 });
    return await stat(panel, "boot-ms");
  } finally {
    await close();
  }
}

function readManifest(): Manifest {
  const parsed = parseManifest(JSON.parse(readFileSync(join(IMAGES_DIR, "manifest.json"), "utf8")));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.manifest;
}

/**
 * v86 on the page's main thread (as a plain page would run it), to see what its yield costs
 * there: `v86-default` (blob helper worker), `scheduler` (v86's own use-scheduling-api switch,
 * turned on by the page URL), `message-channel` (our replacement).
 */
async function coldBootMainThread(base: string, mode: string): Promise<number> {
  const manifest = readManifest();
  const profile = manifest.profiles.live!;
  const files: Partial<Record<ProfileFileKey, ImageSource>> = {};
  for (const key of ["bios", "vga_bios", "bzimage", "initrd"] as const)
    files[key] = { url: `${base}/images/${profile[key]}` };
  const options = buildV86Options({ profile, files, wasmPath: `${base}/v86/v86.wasm` });
  const { page, close } = await openPage(base, mode === "scheduler" ? "?use-scheduling-api" : "");
  try {
    const args = { options, mode, libUrl: `${base}/v86/libv86.mjs`, ready: profile.ready_text };
    // A string, not a function: tsx's name helpers do not exist in the page.
    return await page.evaluate<number>(`(${IN_PAGE_BOOT})(${JSON.stringify(args)})`);
  } finally {
    await close();
  }
}

const IN_PAGE_BOOT = `async function ({ options, mode, libUrl, ready }) {
  const { V86 } = await import(libUrl);
  const t0 = performance.now();
  const emu = new V86(options);
  if (mode === "message-channel") {
    let runner;
    Object.defineProperty(emu, "v86", {
      get() { return runner; },
      set(r) {
        runner = r;
        const ch = new MessageChannel();
        let tick = 0;
        let delay = 0;
        ch.port1.onmessage = function () {
          const t = tick;
          if (delay < 1) r.yield_callback(t); else setTimeout(function () { r.yield_callback(t); }, delay);
        };
        r.yield = function (d, t) { tick = t; delay = d; ch.port2.postMessage(null); };
      },
    });
  }
  let text = "";
  const ms = await new Promise(function (resolve) {
    emu.add_listener("serial0-output-byte", function (b) {
      text += String.fromCharCode(b);
      if (text.endsWith(ready)) resolve(performance.now() - t0);
    });
  });
  await emu.destroy();
  return Math.round(ms);
}`;

async function coldBootNode(): Promise<number> {
  const manifest = readManifest();
  const parsed = { manifest };
  const t0 = performance.now();
  const vm = await NodeVm.boot(parsed.manifest, "live");
  try {
    await vm.waitForSerial(parsed.manifest.profiles.live!.ready_text, { timeoutMs: 120_000 });
    return Math.round(performance.now() - t0);
  } finally {
    await vm.destroy();
  }
}

/** Sum of MIPS over `seconds` with every VM in a shell busy loop. */
async function busyMips(page: Page, panels: Locator[], seconds: number): Promise<number> {
  for (const p of panels) await sendLine(p, "while :; do :; done");
  await page.waitForTimeout(3000);
  const samples: number[] = [];
  for (let s = 0; s < seconds; s++) {
    await page.waitForTimeout(1000);
    let sum = 0;
    for (const p of panels) sum += await stat(p, "mips");
    samples.push(sum);
  }
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

/** Key press -> next frame after the handler, for real key presses on an input of the page. */
async function inputLatencyP95(page: Page, presses: number): Promise<number[]> {
  const field = page.getByLabel("Name", { exact: true });
  await field.evaluate((el) => {
    const w = window as unknown as { __lat: number[] };
    w.__lat = [];
    el.addEventListener("keydown", (e) =>
      requestAnimationFrame(() => w.__lat.push(performance.now() - e.timeStamp)),
    );
  });
  await field.focus();
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press("KeyX");
    await page.waitForTimeout(40 + (i % 7) * 10);
  }
  await page.waitForTimeout(300);
  const lat = await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
  return lat.sort((a, b) => a - b);
}

async function manyVms(base: string): Promise<void> {
  const { page, close } = await openPage(base);
  try {
    const panels: Locator[] = [];
    for (let i = 0; i < 4; i++) panels.push(await createVm(page, `busy${i}`));
    for (const p of panels) await p.getByRole("button", { name: "Start", exact: true }).click();
    for (const p of panels) await waitState(p, "running", { pollingMs: 50 });
    for (const p of panels.slice(1)) await p.getByRole("button", { name: "Pause" }).click();
    const one = await busyMips(page, panels.slice(0, 1), 8);
    for (const p of panels.slice(1)) await p.getByRole("button", { name: "Resume" }).click();
    const four = await busyMips(page, panels, 8);
    note("guest MIPS, 1 VM busy", one.toFixed(0));
    note(
      "guest MIPS, 4 VMs busy (sum)",
      `${four.toFixed(0)} (${(four / one).toFixed(2)}x)`,
      ">= 1.6x",
    );
    const lat = await inputLatencyP95(page, 60);
    const p95 = lat[Math.floor(lat.length * 0.95)] ?? NaN;
    note(
      "input latency key -> frame, 4 VMs busy",
      `p50 ${lat[Math.floor(lat.length / 2)]?.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (n=${lat.length})`,
      "p95 < 100 ms",
    );
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  let server: RunningServer | undefined;
  const base = process.env.BENCH_URL ?? (server = await startProductionServer(3198)).url;
  try {
    const only = process.env.ONLY?.split(",");
    note("host load average (1 min) at the start", loadavg()[0]!.toFixed(2));
    if (!only || only.includes("snapshot")) await clickToPrompt(base);
    if (!only || only.includes("cold")) {
      const results: Record<string, number[]> = {};
      for (let r = 0; r < ROUNDS; r++) {
        for (const mode of WORKER_YIELD_MODES)
          (results[`Chromium, yield ${mode}`] ??= []).push(await coldBootChromium(base, mode));
        (results["Node (setImmediate)"] ??= []).push(await coldBootNode());
        if (process.env.MAIN_THREAD === "1") {
          for (const mode of YIELD_MODES)
            (results[`Chromium main thread, yield ${mode}`] ??= []).push(
              await coldBootMainThread(base, mode),
            );
        }
      }
      const node = Math.min(...results["Node (setImmediate)"]!);
      for (const [what, ms] of Object.entries(results)) {
        note(
          `cold boot to prompt, ${what}`,
          `${ms.map((m) => (m / 1000).toFixed(1)).join(" / ")} s (${(Math.min(...ms) / node).toFixed(2)}x Node)`,
          what.startsWith("Node") ? "" : "<= 1.25x Node, <= 8 s",
        );
      }
    }
    if (only?.includes("main")) {
      for (let r = 0; r < ROUNDS; r++) {
        for (const mode of YIELD_MODES)
          note(
            `cold boot, Chromium main thread, yield ${mode}, round ${r + 1}`,
            `${((await coldBootMainThread(base, mode)) / 1000).toFixed(1)} s`,
          );
      }
    }
    if (!only || only.includes("many")) await manyVms(base);
  } finally {
    await server?.stop();
  }
  note(
    "host load average (1 min) at the end; other work on the machine skews these",
    loadavg()[0]!.toFixed(2),
  );
  printFigures();
}

await main();
