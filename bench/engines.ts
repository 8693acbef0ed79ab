/**
 * The same guest in every browser engine, beside QEMU TCG and native (docs/browsers.md): vbench
 * 1024 KiB x 100 in the page, busy-loop MIPS, Start to first answer from a cached snapshot, and
 * the page's memory with 1 and 4 VMs; then vbench under each yield mode, per engine. Prints
 * markdown tables. Run: `npx tsx bench/engines.ts` (after a build); BENCH_URL uses a running
 * server; ENGINES=firefox,webkit picks engines; MODES=message-channel,helper-worker the modes
 * (MODES= skips that table); REFERENCE=0 skips QEMU and native.
 */
import { loadavg } from "node:os";
import { median } from "../lib/overhead/stats";
import { ENGINES, ensureBrowsers, type Engine } from "../scripts/lib/browsers";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";
import { launchChromium } from "../tests/browsers/chromium-driver";
import type { BrowserDriver } from "../tests/browsers/driver";
import { launchFirefox } from "../tests/browsers/firefox-driver";
import { launchWebKit } from "../tests/browsers/webkit-driver";
import { engineFigures, vbenchWithYield, type EngineFigures } from "./engines/browser-figures";
import { nativeVbench, qemuVbench, qemuVersion } from "./engines/reference";
import { liveProfile } from "./engines/vbench-runs";

const LAUNCH: Record<Engine, () => Promise<BrowserDriver>> = {
  chromium: launchChromium,
  firefox: launchFirefox,
  webkit: launchWebKit,
};
const engines = (process.env.ENGINES?.split(",") ?? ENGINES) as Engine[];
// v86's own yield (a helper worker from a blob URL) is refused by the site's CSP: not a mode here.
const modes = (process.env.MODES ?? "message-channel,helper-worker,scheduler")
  .split(",")
  .filter(Boolean);
const load = () => loadavg()[0]!.toFixed(2);
const s = (ms: number) => (ms / 1000).toFixed(2);
/** The median of the runs after the first (which warms v86's JIT), and every run. */
const vbenchCell = (runs: number[]) => `${s(median(runs.slice(1)))} s (${runs.map(s).join(", ")})`;

async function withEngine<T>(engine: Engine, work: (d: BrowserDriver) => Promise<T>): Promise<T> {
  const driver = await LAUNCH[engine]();
  try {
    return await work(driver);
  } finally {
    await driver.close();
  }
}

function engineRow(engine: Engine, f: EngineFigures, chromiumMs?: number): string {
  const vb = median(f.vbenchMs.slice(1));
  const ratio = chromiumMs ? ` (${(chromiumMs / vb).toFixed(2)}x Chromium's speed)` : "";
  const [empty, one, four] = f.memory;
  const measured = four?.measuredMb != null ? `; the page's own measure ${four.measuredMb}` : "";
  return [
    `${engine} ${f.version}`,
    `${vbenchCell(f.vbenchMs)}${ratio}`,
    f.mips.toFixed(0),
    `${f.startMs.map(s).join(" / ")} s`,
    `${empty?.pageMb} / ${one?.pageMb} / ${four?.pageMb} MiB${measured}`,
    `${empty?.engineMb} / ${one?.engineMb} / ${four?.engineMb} MiB`,
    f.crossOriginIsolated ? "yes" : "no",
    `${f.hostVbenchMs.toFixed(0)} ms`,
    `${f.yieldUs.messageChannel.toFixed(1)} / ${f.yieldUs.setTimeout0.toFixed(0)} us`,
    `${f.compileMs.smallModule.toFixed(2)} ms / ${f.compileMs.emulator.toFixed(0)} ms`,
  ].join(" | ");
}

async function main(): Promise<void> {
  if (!(await ensureBrowsers(engines))) process.exit(1);
  let server: RunningServer | undefined;
  const base = process.env.BENCH_URL ?? (server = await startProductionServer(3298)).url;
  const rows: string[] = [];
  const yieldRows: string[] = [];
  try {
    console.error(`host load average (1 min) at the start: ${load()}`);
    let chromiumMs: number | undefined;
    for (const engine of engines) {
      const f = await withEngine(engine, (d) => engineFigures(d, base));
      if (engine === "chromium") chromiumMs = median(f.vbenchMs.slice(1));
      rows.push(engineRow(engine, f, engine === "chromium" ? undefined : chromiumMs));
      console.error(`  ${rows.at(-1)}`);
    }
    if (process.env.REFERENCE !== "0") {
      const profile = liveProfile();
      const qemu = await qemuVbench(profile, 4);
      rows.push(
        `${qemuVersion()}, TCG, same guest | ${vbenchCell(qemu)} | - | - | - | - | - | - | - | -`,
      );
      rows.push(
        `native (vbench's i386 binary on the host) | ${vbenchCell(nativeVbench(4))} | - | - | - | - | - | - | - | -`,
      );
    }
    for (const engine of engines)
      for (const mode of modes) {
        const runs = await withEngine(engine, async (d) => {
          const supported = await d.evaluate(() => "scheduler" in globalThis, null);
          return mode === "scheduler" && !supported ? null : vbenchWithYield(d, base, mode);
        });
        yieldRows.push(
          `${engine} | ${mode} | ${runs ? vbenchCell(runs) : "no scheduler.postTask in this engine"}`,
        );
        console.error(`  ${yieldRows.at(-1)}`);
      }
  } finally {
    await server?.stop();
  }
  console.log(
    "| engine | vbench 1024 KiB x 100, median (runs; the first warms the JIT) | busy-loop MIPS | Start to first answer, cached snapshot (3 runs) | page processes' memory with 0 / 1 / 4 VMs of 128 MiB (PSS) | whole browser's memory, same (PSS) | cross-origin isolated | same vbench as wasm in the page (engine's own wasm) | one yield: MessageChannel round trip / setTimeout 0 (page thread) | compile + instantiate a small wasm module / compile v86.wasm |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(`| ${row} |`);
  if (yieldRows.length > 0) {
    console.log(
      "\nvbench per yield mode (`?cpu=off&yield=`, without the CPU scheduler), one VM:\n",
    );
    console.log("| engine | yield mode | vbench 1024 KiB x 100 |");
    console.log("| --- | --- | --- |");
    for (const row of yieldRows) console.log(`| ${row} |`);
  }
  console.log(
    `\nhost load average (1 min) at the end: ${load()}; other work on the machine skews every figure`,
  );
}

await main();
