/**
 * Several busy VMs in one page, measured the way a learner meets them (production build,
 * /playground, headless Chromium, in-page timings): the guests' own throughput (vbench in each,
 * wall clock and the guest's own time, JIT warmed), what the panels' MIPS say meanwhile, the
 * page's animation-frame gaps and key-to-echo in a console, and how evenly the VMs shared the
 * host. Each figure with the CPU scheduler (cores for VMs: the page's default, then 1) and
 * without it (`?cpu=off`: every VM runs and the operating system shares the cores).
 * `npx tsx bench/cpu-page.ts` after a build; BENCH_URL uses a running server; CONFIGS=",?cpu=off"
 * picks the playground queries to compare; VMS=4; SECONDS=20 (frame and echo window). Without
 * BENCH_URL it also measures a server that sends no isolation headers (NOT_ISOLATED=0 skips it).
 */
import { loadavg } from "node:os";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";
import { describeTimes, keyToEcho, recordFrameGaps } from "./page-probes";
import { createVm, note, printFigures, sendLine, stat, waitState } from "./playground-steps";
import { jainIndex } from "../lib/emulator/cpu-stats";

const VMS = Number(process.env.VMS ?? 4);
const SECONDS = Number(process.env.SECONDS ?? 20);
const CONFIGS = (process.env.CONFIGS ?? ",?cpu=1,?cpu=off").split(",").filter((q) => q !== "-");
const VBENCH = "vbench -t 1024 100";

/** Waits for `marker=<digits>` in the panel's console and returns the digits as a number. */
async function waitForNumber(panel: Locator, marker: string, timeoutMs = 300_000): Promise<number> {
  const rowsEl = panel.locator(".xterm-rows");
  const handle = await rowsEl.elementHandle();
  const text = await panel.page().waitForFunction(
    ([el, m]) => {
      const found = new RegExp(`${m}=(\\d+)`).exec((el as Element).textContent ?? "");
      return found ? found[1] : false;
    },
    [handle, marker] as const,
    { timeout: timeoutMs, polling: 50 },
  );
  return Number(await text.jsonValue());
}

/**
 * Runs vbench in each panel at once; returns per VM the guest's own time and the host's wall
 * clock from the first command sent to that VM's answer.
 */
async function vbenchTogether(
  page: Page,
  panels: Locator[],
  tag: string,
): Promise<{ guestMs: number[]; wallMs: number[]; spanMs: number; mipsSum: number }> {
  // xterm.js draws only terminals on screen: a tall window keeps every console drawn.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 1000 * panels.length + 1500 });
  const t0 = Date.now();
  for (const [i, p] of panels.entries())
    await sendLine(
      p,
      `clear; echo ${tag}${i}=$(${VBENCH} | grep -o 'time_us=[0-9]*' | cut -d= -f2)`,
    );
  // What the panels' MIPS say while the guests work: sampled once a second while all run.
  let running = true;
  const mipsSamples: number[] = [];
  const sampling = (async () => {
    await page.waitForTimeout(1100);
    while (running) {
      let sum = 0;
      for (const p of panels) sum += await stat(p, "mips");
      mipsSamples.push(sum);
      await page.waitForTimeout(1000);
    }
  })();
  const results = await Promise.all(
    panels.map(async (p, i) => {
      const us = await waitForNumber(p, `${tag}${i}`);
      running = false;
      return { guestMs: us / 1000, wallMs: Date.now() - t0 };
    }),
  );
  await sampling;
  if (viewport) await page.setViewportSize(viewport);
  return {
    guestMs: results.map((r) => r.guestMs),
    wallMs: results.map((r) => r.wallMs),
    spanMs: Math.max(...results.map((r) => r.wallMs)),
    // The samples after the first VM finished are left out (running stops at the first).
    mipsSum: mipsSamples.length ? mipsSamples.reduce((a, b) => a + b, 0) / mipsSamples.length : NaN,
  };
}

async function pauseAllBut(panels: Locator[], keep: number): Promise<void> {
  for (const [i, p] of panels.entries()) {
    const state = await p.getAttribute("data-vm-state");
    if (i < keep && state === "paused") await p.getByRole("button", { name: "Resume" }).click();
    if (i >= keep && state === "running") await p.getByRole("button", { name: "Pause" }).click();
  }
}

/** Per-VM MIPS, averaged over `seconds` of one-second panel samples. */
async function mipsOver(page: Page, panels: Locator[], seconds: number): Promise<number[]> {
  const sums = panels.map(() => 0);
  for (let s = 0; s < seconds; s++) {
    await page.waitForTimeout(1000);
    for (const [i, p] of panels.entries()) sums[i]! += await stat(p, "mips");
  }
  return sums.map((sum) => sum / seconds);
}

const describeConfig = (query: string, isolated = true) =>
  isolated ? describeIsolated(query) : "page not cross-origin isolated";
const describeIsolated = (query: string) =>
  query === "?cpu=off"
    ? "no scheduler"
    : query === ""
      ? "scheduler, default cores"
      : `scheduler ${query.slice(1)}`;

async function measure(
  base: string,
  query: string,
  browser: Browser,
  isolated = true,
): Promise<void> {
  const label = describeConfig(query, isolated);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${base}/playground${query}`);
    note(`[${label}] crossOriginIsolated`, String(await page.evaluate("crossOriginIsolated")));
    const panels: Locator[] = [];
    for (let i = 0; i < VMS; i++) panels.push(await createVm(page, `busy${i}`));
    for (const p of panels) await p.getByRole("button", { name: "Start", exact: true }).click();
    for (const p of panels) await waitState(p, "running");

    // A guest's first vbench compiles its hot code: run one everywhere first, untimed.
    await vbenchTogether(page, panels, "warm");

    await pauseAllBut(panels, 1);
    const alone = await vbenchTogether(page, panels.slice(0, 1), "alone");
    const aloneMs = alone.wallMs[0]!;
    note(
      `[${label}] vbench 1024 KiB x 100, one VM alone`,
      `${(aloneMs / 1000).toFixed(2)} s wall (guest's own clock ${(alone.guestMs[0]! / 1000).toFixed(2)} s); panel MIPS meanwhile ${alone.mipsSum.toFixed(0)}`,
    );
    await pauseAllBut(panels, VMS);
    const together = await vbenchTogether(page, panels, "all");
    const throughput = (VMS * aloneMs) / together.spanMs;
    note(
      `[${label}] vbench in each of ${VMS} VMs at once`,
      `all done in ${(together.spanMs / 1000).toFixed(2)} s wall: ${throughput.toFixed(2)}x one VM's throughput; each ${together.wallMs.map((ms) => (ms / 1000).toFixed(2)).join(" / ")} s wall, guest clocks ${together.guestMs.map((ms) => (ms / 1000).toFixed(2)).join(" / ")} s; panels' MIPS meanwhile ${together.mipsSum.toFixed(0)} = ${(together.mipsSum / alone.mipsSum).toFixed(2)}x`,
      ">= 1.6x",
    );
    const rates = together.wallMs.map((ms) => 1 / ms);
    note(
      `[${label}] fairness of ${VMS} equal VMs (Jain's index of vbench rates)`,
      jainIndex(rates).toFixed(3),
      ">= 0.95",
    );

    // Busy work in the background of every shell (the tty still echoes what is typed): a shell
    // loop, then vbench over and over; the panels' MIPS with one VM and with all of them.
    for (const [what, loop] of [
      ["vbench in a loop", `while :; do ${VBENCH} > /dev/null; done &`],
      ["shell busy loop", "while :; do :; done &"],
    ] as const) {
      for (const p of panels) await sendLine(p, `clear; kill $BUSY 2>/dev/null; ${loop} BUSY=$!`);
      await page.waitForTimeout(2000);
      const mipsAll = await mipsOver(page, panels, 5);
      await pauseAllBut(panels, 1);
      await page.waitForTimeout(1500);
      const mipsOne = (await mipsOver(page, panels.slice(0, 1), 5))[0]!;
      await pauseAllBut(panels, VMS);
      const sum = mipsAll.reduce((a, b) => a + b, 0);
      note(
        `[${label}] panels' MIPS, ${what}: one VM alone; ${VMS} at once (sum)`,
        `${mipsOne.toFixed(0)}; ${sum.toFixed(0)} = ${(sum / mipsOne).toFixed(2)}x (each ${mipsAll.map((m) => m.toFixed(0)).join(" / ")})`,
        "agrees with vbench within 10%",
      );
    }

    await page.waitForTimeout(1000);
    const stop = await recordFrameGaps(page);
    await page.waitForTimeout(SECONDS * 1000);
    const gaps = await stop();
    note(`[${label}] animation-frame gaps, ${VMS} busy VMs`, describeTimes(gaps), "p95 <= 34 ms");
    const echo = await keyToEcho(page, panels[0]!, Math.max(20, SECONDS * 2));
    note(
      `[${label}] key to echo in a console, ${VMS} busy VMs`,
      describeTimes(echo),
      "p95 <= 100 ms",
    );
  } finally {
    await page.close();
  }
}

/** Run % per VM from the Host CPU panel, averaged over `seconds` one-second readings. */
async function runPctOver(page: Page, names: string[], seconds: number): Promise<number[]> {
  const host = page.getByRole("region", { name: "Host CPU" });
  const sums = names.map(() => 0);
  for (let s = 0; s < seconds; s++) {
    await page.waitForTimeout(1000);
    for (const [i, name] of names.entries()) {
      const row = host.getByRole("row", { name: new RegExp(`^${name}\\b`) });
      sums[i]! += Number(await row.locator('[data-stat="cpu-run-pct"]').textContent());
    }
  }
  return sums.map((sum) => sum / seconds);
}

async function applyCpuSettings(
  page: Page,
  name: string,
  settings: { shares?: "low" | "normal" | "high"; limit?: string },
): Promise<void> {
  const form = page
    .getByRole("region", { name: "Host CPU" })
    .getByRole("form", { name: `CPU settings of ${name}` });
  if (settings.shares) await form.getByLabel("Shares").selectOption(settings.shares);
  if (settings.limit !== undefined) await form.getByLabel("Limit (%)").fill(settings.limit);
  await form.getByRole("button", { name: "Apply" }).click();
}

/**
 * Shares and limits as the scheduler gives them: two busy VMs on one core for VMs, one with high
 * shares (2000 against 1000); then one VM alone with a limit of 25 % of a core.
 */
async function sharesAndLimits(base: string, browser: Browser): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${base}/playground?cpu=1`);
    const panels = [await createVm(page, "high"), await createVm(page, "normal")];
    for (const p of panels) await p.getByRole("button", { name: "Start", exact: true }).click();
    for (const p of panels) await waitState(p, "running");
    for (const p of panels) await sendLine(p, "while :; do :; done &");
    await applyCpuSettings(page, "high", { shares: "high" });
    await page.waitForTimeout(3000);
    const [high, normal] = await runPctOver(page, ["high", "normal"], 10);
    note(
      "shares 2000 vs 1000, two busy VMs on one core for VMs (run % of a core, 10 s)",
      `${high!.toFixed(0)} % vs ${normal!.toFixed(0)} % = ${(high! / normal!).toFixed(2)}x`,
      "2x +/- 15%",
    );
    await panels[1]!.getByRole("button", { name: "Pause" }).click();
    await applyCpuSettings(page, "high", { limit: "25" });
    await page.waitForTimeout(3000);
    const [limited] = await runPctOver(page, ["high"], 10);
    note("limit 25 %, one busy VM alone (run %, 10 s)", `${limited!.toFixed(1)} %`, "25 +/- 5");
  } finally {
    await page.close();
  }
}

/** Eight VMs of 96 MiB running in one page (they cold boot: the boot snapshot is 128 MiB). */
async function eightSmallVms(base: string, browser: Browser): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${base}/playground`);
    await page.getByLabel("Memory (MB)").fill("96");
    const panels: Locator[] = [];
    for (let i = 0; i < 8; i++) panels.push(await createVm(page, `small${i}`));
    const t0 = Date.now();
    for (const p of panels) await p.getByRole("button", { name: "Start", exact: true }).click();
    for (const p of panels) await waitState(p, "running");
    const allUp = Date.now() - t0;
    for (const [i, p] of panels.entries()) await sendLine(p, `echo small=$((${i}+100))`);
    for (const [i, p] of panels.entries()) {
      await p.locator(".xterm").scrollIntoViewIfNeeded();
      const answer = await waitForNumber(p, "small", 60_000);
      if (answer !== i + 100) throw new Error(`small${i} answered ${answer}`);
    }
    note(
      "eight VMs of 96 MiB in one page",
      `all running (cold boot) ${(allUp / 1000).toFixed(1)} s after the first Start; each answered`,
      "8 can run",
    );
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  let server: RunningServer | undefined;
  const base = process.env.BENCH_URL || (server = await startProductionServer(3197)).url;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    note("host load average (1 min) at the start", loadavg()[0]!.toFixed(2));
    for (const query of CONFIGS) await measure(base, query, browser);
    if (process.env.SHARES !== "0") await sharesAndLimits(base, browser);
    if (process.env.EIGHT !== "0") await eightSmallVms(base, browser);
    // The same page without the isolation headers: no SharedArrayBuffer, so no scheduler, and
    // 100 µs timers instead of 5 µs.
    if (!process.env.BENCH_URL && process.env.NOT_ISOLATED !== "0") {
      const plain = await startProductionServer(3196, { SERVE_WITHOUT_ISOLATION: "1" });
      try {
        await measure(plain.url, "", browser, false);
      } finally {
        await plain.stop();
      }
    }
  } finally {
    await browser.close();
    await server?.stop();
  }
  note("host load average (1 min) at the end", loadavg()[0]!.toFixed(2));
  printFigures();
}

await main();
