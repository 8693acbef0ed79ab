import type { BrowserDriver } from "../../tests/browsers/driver";
import {
  answer,
  BOOT_TIMEOUT_MS,
  fillField,
  panel,
  press,
  waitAttribute,
  waitFor,
} from "../../tests/browsers/scenario-steps";
import { median } from "../../lib/overhead/stats";
import {
  armStartTiming,
  hostVbenchMs,
  wasmCompileMs,
  yieldCostUs,
  pageFacts,
  startTiming,
  statValue,
  userAgentMemoryMb,
} from "./page-timing";
import { engineMemoryMb } from "./process-memory";
import { vbenchCommand, vbenchTimes } from "./vbench-runs";

/** vbench runs per measure; the first warms v86's JIT and is left out of the median. */
const VBENCH_RUNS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface EngineFigures {
  version: string;
  crossOriginIsolated: boolean;
  startMs: number[];
  mips: number;
  vbenchMs: number[];
  memory: { vms: number; engineMb: number; pageMb: number; measuredMb: number | null }[];
  hostVbenchMs: number;
  yieldUs: { messageChannel: number; setTimeout0: number };
  compileMs: { smallModule: number; emulator: number };
}

async function createAndStart(d: BrowserDriver, name: string): Promise<void> {
  await fillField(d, "Name", name);
  await press(d, 'form[aria-label="Create a VM"]', "Create VM");
  await press(d, panel(name), "Start");
}

async function running(d: BrowserDriver, name: string): Promise<void> {
  await waitAttribute(d, panel(name), "data-vm-state", "running", BOOT_TIMEOUT_MS);
}

/** Click on Start to the first answer in the console, a VM whose snapshot is already cached. */
async function startToAnswer(d: BrowserDriver, name: string, n: number): Promise<number> {
  await fillField(d, "Name", name);
  await press(d, 'form[aria-label="Create a VM"]', "Create VM");
  const expected = `first-${n + 40}`;
  await d.evaluate(armStartTiming, { panel: panel(name), expected });
  await press(d, panel(name), "Start");
  await running(d, name);
  await answer(d, name, `echo first-$((${n}+40))`, expected);
  const timing = await waitFor(d, "the answer's time", startTiming, null, (t) => t !== null);
  return Math.round(timing!.totalMs);
}

/** vbench in a running VM: each run's time (the guest's clock, which follows the host's). */
export async function vbenchIn(d: BrowserDriver, name: string): Promise<number[]> {
  const text = await answer(d, name, vbenchCommand(VBENCH_RUNS), "vb-done-2", 300_000);
  return vbenchTimes(text).slice(-VBENCH_RUNS);
}

/** Guest MIPS from the panel's stat while the guest runs a shell busy loop. */
async function busyMips(d: BrowserDriver, name: string): Promise<number> {
  await answer(d, name, "while :; do :; done & echo busy-$((1+1))", "busy-2");
  await sleep(3000);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(await d.evaluate(statValue, { panel: panel(name), stat: "mips" }));
    await sleep(1000);
  }
  await answer(d, name, "kill $!; echo idle-$((2+1))", "idle-3");
  return median(samples);
}

async function memoryNow(d: BrowserDriver, vms: number) {
  await sleep(2000);
  return {
    vms,
    ...engineMemoryMb(d.engine),
    measuredMb: await d.evaluate(userAgentMemoryMb, null).catch(() => null),
  };
}

/** The engine table's figures in one page of /playground. */
export async function engineFigures(
  d: BrowserDriver,
  base: string,
  query = "",
): Promise<EngineFigures> {
  await d.goto(`${base}/playground${query}`);
  const facts = await d.evaluate(pageFacts, null);
  const hostMs = await d.evaluate(hostVbenchMs, null);
  const yieldUs = await d.evaluate(yieldCostUs, null);
  const compileMs = await d.evaluate(wasmCompileMs, null);
  // The first Start downloads and caches the images; the figures are for a cached snapshot.
  await createAndStart(d, "warm");
  await running(d, "warm");
  await press(d, panel("warm"), "Delete");
  const startMs = [];
  for (let n = 1; n <= 3; n++) {
    startMs.push(await startToAnswer(d, `s${n}`, n));
    if (n < 3) await press(d, panel(`s${n}`), "Delete");
  }
  const vm = "s3";
  const mips = await busyMips(d, vm);
  const vbenchMs = await vbenchIn(d, vm);
  // Memory in a fresh page (the workers of the VMs above are gone): empty, 1 VM, 4 VMs.
  await d.goto(`${base}/playground${query}`);
  const memory = [await memoryNow(d, 0)];
  await createAndStart(d, "m1");
  await running(d, "m1");
  memory.push(await memoryNow(d, 1));
  for (const name of ["m2", "m3", "m4"]) await createAndStart(d, name);
  for (const name of ["m2", "m3", "m4"]) await running(d, name);
  memory.push(await memoryNow(d, 4));
  return {
    version: d.version,
    crossOriginIsolated: facts.crossOriginIsolated,
    startMs,
    mips,
    vbenchMs,
    memory,
    hostVbenchMs: hostMs,
    yieldUs,
    compileMs,
  };
}

/** vbench alone under one yield mode (`?yield=`), for choosing each engine's. */
export async function vbenchWithYield(
  d: BrowserDriver,
  base: string,
  mode: string,
): Promise<number[]> {
  // Without the CPU scheduler, whose own yield would replace the mode asked for.
  await d.goto(`${base}/playground?cpu=off&yield=${mode}`);
  await createAndStart(d, `y-${mode}`);
  await running(d, `y-${mode}`);
  return vbenchIn(d, `y-${mode}`);
}
