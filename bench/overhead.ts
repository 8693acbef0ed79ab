/**
 * Virtualization overhead (docs/overhead.md): vbench on the host vs in the live guest.
 * - Node: vbench.wasm in this process vs /usr/bin/vbench in a v86 guest restored from the snapshot.
 * - Chromium: the /playground overhead panel, as a learner uses it: 1 VM alone, then 4 VMs
 *   running the benchmark at once; results read back from the panel's saved records.
 * Prints a markdown table and the load average (other work on the machine skews every figure).
 * Run: `npx tsx bench/overhead.ts` (after a build). BENCH_URL=http://127.0.0.1:3400 uses a
 * running server; SIZE=small|medium|large (default medium); ROUNDS=3 repeats each scenario.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { IMAGES_DIR, NodeVm } from "../guest/node-vm";
import { parseManifest } from "../lib/emulator/manifest";
import { AgentClient } from "../lib/guest-agent/client";
import { HISTORY_KEY } from "../lib/overhead/history";
import { BENCH_SIZES, GUEST_REPEATS, HOST_REPEATS } from "../lib/overhead/presets";
import { parseRecords, type RunRecord } from "../lib/overhead/record";
import { compareChecksums, formatChecksum, median } from "../lib/overhead/stats";
import { guestCommand, parseVbenchOutput } from "../lib/overhead/vbench-output";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";

const SIZE = BENCH_SIZES.find((s) => s.id === (process.env.SIZE ?? "medium")) ?? BENCH_SIZES[1]!;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const rows: string[][] = [];
const load = () => loadavg()[0]!.toFixed(1);
const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined ? "n/a" : n.toFixed(digits);

async function nodeRound(): Promise<void> {
  const manifest = parseManifest(
    JSON.parse(readFileSync(join(IMAGES_DIR, "manifest.json"), "utf8")),
  );
  if (!manifest.ok || !manifest.manifest.benchmark)
    throw new Error("no benchmark in the manifest: npm run images");
  const bench = manifest.manifest.benchmark;
  const { instance } = await WebAssembly.instantiate(readFileSync(join(IMAGES_DIR, bench.wasm)));
  const vbench = instance.exports.vbench as (s: number, r: number) => number;
  const vm = await NodeVm.boot(manifest.manifest, "live", { fromSnapshot: true });
  const agent = new AgentClient({
    send: (b) => vm.sendBytes(1, b),
    onBytes: (l) => vm.onSerialByte(1, (b) => l(Uint8Array.of(b))),
  });
  agent.assumeReady();
  try {
    vbench(SIZE.sizeKib, SIZE.rounds);
    const hostTimes: number[] = [];
    let checksum = "";
    for (let i = 0; i < HOST_REPEATS; i++) {
      const t0 = performance.now();
      checksum = formatChecksum(vbench(SIZE.sizeKib, SIZE.rounds));
      hostTimes.push(performance.now() - t0);
    }
    const runs = GUEST_REPEATS + 1;
    const c0 = vm.emulator.get_instruction_counter();
    const t0 = performance.now();
    const r = await agent.run(guestCommand(bench.guest_path, SIZE.sizeKib, SIZE.rounds, runs), {
      timeoutS: 300,
    });
    const wall = performance.now() - t0;
    const instructions = (vm.emulator.get_instruction_counter() - c0) >>> 0;
    const parsed = parseVbenchOutput(r.output);
    if (!parsed.ok) throw new Error(parsed.error);
    const guestMs = median(parsed.runs.slice(1).map((x) => x.timeMs ?? Number.NaN));
    const hostMs = median(hostTimes);
    const match = compareChecksums(
      checksum,
      parsed.runs.map((x) => x.checksum),
    ).ok;
    // The 32-bit counter wraps every 4.3 billion instructions: fine for runs of a few seconds.
    rows.push([
      "Node 20",
      "1",
      "1",
      fmt(hostMs, 1),
      fmt(guestMs),
      fmt(guestMs / hostMs, 1),
      fmt(instructions / wall / 1000),
      match ? "match" : "DIFFER",
      load(),
    ]);
  } finally {
    agent.dispose();
    await vm.destroy();
  }
}

async function browserRound(base: string, vms: number): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const page: Page = await browser.newPage();
    await page.goto(`${base}/playground`);
    await page.evaluate((key) => localStorage.removeItem(key), HISTORY_KEY);
    for (let i = 1; i <= vms; i++) {
      await page.getByLabel("Name", { exact: true }).fill(`vm${i}`);
      await page.getByRole("button", { name: "Create VM" }).click();
      await page.getByRole("region", { name: `VM vm${i}` }).waitFor();
    }
    for (let i = 1; i <= vms; i++)
      await page
        .getByRole("region", { name: `VM vm${i}` })
        .getByRole("button", { name: "Start", exact: true })
        .click();
    for (let i = 1; i <= vms; i++)
      await page
        .locator(`[aria-label="VM vm${i}"][data-vm-state="running"]`)
        .waitFor({ timeout: 180_000 });
    const panel = page.getByRole("region", { name: "Measure the overhead" });
    await panel.getByLabel("Workload").selectOption(SIZE.id);
    if (vms > 1) await panel.getByRole("checkbox", { name: /at once/ }).check();
    await panel.getByRole("button", { name: "Run benchmark" }).click();
    await panel
      .getByRole("status")
      .filter({ hasText: /finished|failed/ })
      .waitFor({ timeout: 600_000 });
    const stored = await page.evaluate((key) => localStorage.getItem(key), HISTORY_KEY);
    const records: RunRecord[] = parseRecords(stored ? JSON.parse(stored) : null).records;
    if (records.length !== vms)
      throw new Error(
        `expected ${vms} records, got ${records.length}: ${await panel.getByRole("status").innerText()}`,
      );
    const mips = records.map((r) => r.mips ?? 0);
    rows.push([
      "Chromium",
      String(vms),
      String(records[0]!.together),
      fmt(records[0]!.hostMs, 1),
      fmt(median(records.map((r) => r.guestMs))),
      fmt(median(records.flatMap((r) => (r.ratio === null ? [] : [r.ratio]))), 1),
      vms > 1
        ? `${fmt(median(mips))} each, ${mips.reduce((a, b) => a + b, 0)} total`
        : fmt(mips[0]),
      records.every((r) => r.checksumsMatch) ? "match" : "DIFFER",
      load(),
    ]);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  let server: RunningServer | undefined;
  const base = process.env.BENCH_URL ?? (server = await startProductionServer(3299)).url;
  console.error(
    `vbench ${SIZE.sizeKib} KiB x ${SIZE.rounds} rounds; host ${HOST_REPEATS} timed runs, guest ${GUEST_REPEATS} after a warm-up; medians`,
  );
  try {
    for (let round = 0; round < ROUNDS; round++) {
      await nodeRound();
      await browserRound(base, 1);
      await browserRound(base, 4);
      console.error(
        rows
          .slice(-3)
          .map((r) => r.join(" | "))
          .join("\n"),
      );
    }
  } finally {
    await server?.stop();
  }
  console.log(
    "| where | VMs running | at once | host ms | guest ms | slowdown | guest MIPS | checksums | load avg |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

await main();
