import type { VmMachine } from "../emulator/vm-machine";
import type { HostRunner } from "./host-runner";
import type { PageMemory, RunRecord } from "./record";
import { compareChecksums, formatChecksum, mean, median, round, slowdown } from "./stats";
import { guestCommand, parseVbenchOutput } from "./vbench-output";
import { GUEST_REPEATS, HOST_REPEATS, validParams } from "./presets";

/** Runs the same vbench workload on the host (wasm in a worker) and in a VM, and compares them. */

export type BenchMachine = Pick<VmMachine, "name" | "state" | "config" | "events" | "runCheck">;

export type BenchPhase = "host" | "guest" | "memory";

export interface BenchOptions {
  machine: BenchMachine;
  sizeKib: number;
  rounds: number;
  wasmUrl: string;
  guestPath: string;
  hostRunner: HostRunner;
  /** VMs running on the page when the run starts, this one included. */
  vmsRunning: number;
  pageMemory: (guestMemoryMb: number) => Promise<PageMemory | null>;
  hostRepeats?: number;
  guestRepeats?: number;
  onPhase?: (phase: BenchPhase) => void;
  /** Time to wait after the guest's run for the stats sample that covers its last second. */
  lastSampleWaitMs?: number;
  now?: () => number;
  newId?: () => string;
}

export class BenchError extends Error {}

/** Seconds the guest may take for all its runs before the agent kills the command. */
export function guestTimeoutS(sizeKib: number, rounds: number, runs: number): number {
  return Math.max(30, Math.ceil(sizeKib * rounds * runs * 0.0004));
}

function explainStatus(status: number, output: string, path: string, timeoutS: number): string {
  if (status === 127)
    return `${path} is not in this guest: its image predates the benchmark (run npm run images) or it is not the live guest`;
  if (status === 137) return `the guest's runs were stopped after ${timeoutS} s`;
  const first = output.trim().split("\n")[0] ?? "";
  return `the guest's vbench exited with status ${status}${first ? `: ${first.slice(0, 160)}` : ""}`;
}

export async function runBenchmark(opts: BenchOptions): Promise<RunRecord> {
  const { machine, sizeKib, rounds } = opts;
  const hostRepeats = opts.hostRepeats ?? HOST_REPEATS;
  const guestRepeats = opts.guestRepeats ?? GUEST_REPEATS;
  const now = opts.now ?? (() => performance.now());
  if (!validParams(sizeKib, rounds))
    throw new BenchError(`size ${sizeKib} KiB x ${rounds} rounds is out of range`);
  if (machine.state !== "running")
    throw new BenchError(`${machine.name} is ${machine.state}: start it first`);

  // The host first, then the guest, never both at once: they would compete for the same cores.
  opts.onPhase?.("host");
  const host = await opts.hostRunner({
    wasmUrl: opts.wasmUrl,
    sizeKib,
    rounds,
    repeats: hostRepeats,
  });
  if (host.timesMs.length === 0) throw new BenchError("the host run returned no timings");
  const hostChecksum = formatChecksum(host.checksum);

  opts.onPhase?.("guest");
  // One warm-up run (v86 compiles hot guest code on first sight), then the timed runs.
  const runs = guestRepeats + 1;
  const timeoutS = guestTimeoutS(sizeKib, rounds, runs);
  const samples: number[] = [];
  // "during": samples taken while the guest runs; "after": the one that covers its last second.
  let phase: "during" | "after" | "done" = "during";
  let onAfter: (() => void) | undefined;
  const off = machine.events.on("stats", (stats) => {
    if (phase === "done") return;
    samples.push(stats.mipsNow);
    if (phase === "after") {
      phase = "done";
      onAfter?.();
    }
  });
  let result: { status: number; output: string };
  let wallMs: number;
  try {
    const t0 = now();
    result = await machine.runCheck(guestCommand(opts.guestPath, sizeKib, rounds, runs), {
      timeoutS,
    });
    wallMs = now() - t0;
    phase = "after";
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        phase = "done";
        resolve();
      }, opts.lastSampleWaitMs ?? 1500);
      onAfter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  } finally {
    off();
  }
  if (result.status !== 0)
    throw new BenchError(explainStatus(result.status, result.output, opts.guestPath, timeoutS));
  const parsed = parseVbenchOutput(result.output);
  if (!parsed.ok) throw new BenchError(parsed.error);
  if (parsed.runs.length !== runs)
    throw new BenchError(`the guest printed ${parsed.runs.length} results, expected ${runs}`);
  const timed = parsed.runs.slice(1);
  const guestRunsMs = timed.map((r) => r.timeMs);
  if (guestRunsMs.some((t) => t === undefined))
    throw new BenchError("the guest printed no time for a run");
  const comparison = compareChecksums(
    hostChecksum,
    parsed.runs.map((r) => r.checksum),
  );

  opts.onPhase?.("memory");
  const memory = await opts.pageMemory(machine.config.memoryMb);

  const hostMs = median(host.timesMs);
  const guestMs = median(guestRunsMs as number[]);
  const guestWallMs = wallMs / runs;
  const positive = samples.filter((m) => m > 0);
  const ratio = slowdown(guestMs, hostMs);
  const ratioWall = slowdown(guestWallMs, hostMs);
  return {
    id: opts.newId?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    at: Date.now(),
    vm: machine.name,
    sizeKib,
    rounds,
    hostMs: round(hostMs, 2),
    hostRunsMs: host.timesMs.map((t) => round(t, 2)),
    guestMs: round(guestMs, 2),
    guestRunsMs: (guestRunsMs as number[]).map((t) => round(t, 2)),
    guestWallMs: round(guestWallMs, 1),
    ratio: ratio === undefined ? null : round(ratio, 2),
    ratioWall: ratioWall === undefined ? null : round(ratioWall, 2),
    hostChecksum,
    guestChecksum: parsed.runs[0]!.checksum,
    checksumsMatch: comparison.ok,
    mips: positive.length ? Math.round(mean(positive)) : null,
    vmsRunning: Math.max(1, opts.vmsRunning),
    guestMemoryMb: machine.config.memoryMb,
    pageMemory: memory,
  };
}
