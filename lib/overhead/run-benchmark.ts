import type { VmMachine } from "../emulator/vm-machine";
import type { HostRun, HostRunner } from "./host-runner";
import type { PageMemory, RunRecord } from "./record";
import { compareChecksums, formatChecksum, mean, median, round, slowdown } from "./stats";
import { guestCommand, parseVbenchOutput, type GuestRun } from "./vbench-output";
import { GUEST_REPEATS, HOST_REPEATS, validParams } from "./presets";

/**
 * Runs the same vbench workload on the host (wasm in a worker), then in one VM or in several
 * VMs at once, and compares each guest with the host.
 */

export type BenchMachine = Pick<VmMachine, "name" | "state" | "config" | "events" | "runCheck">;

export type BenchPhase = "host" | "guest" | "memory";

export interface BenchOptions {
  /** The VMs to run in; more than one run at the same time (to see them compete for cores). */
  machines: readonly BenchMachine[];
  sizeKib: number;
  rounds: number;
  wasmUrl: string;
  guestPath: string;
  hostRunner: HostRunner;
  /** VMs running on the page when the run starts, these included. */
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
export function guestTimeoutS(sizeKib: number, rounds: number, runs: number, together = 1): number {
  return Math.max(30, Math.ceil(sizeKib * rounds * runs * together * 0.0004));
}

function explainStatus(status: number, output: string, path: string, timeoutS: number): string {
  if (status === 127)
    return `${path} is not in this guest: its image predates the benchmark (run npm run images) or it is not the live guest`;
  if (status === 137) return `the guest's runs were stopped after ${timeoutS} s`;
  const first = output.trim().split("\n")[0] ?? "";
  return `the guest's vbench exited with status ${status}${first ? `: ${first.slice(0, 160)}` : ""}`;
}

interface GuestMeasurement {
  runs: GuestRun[];
  /** The agent call as the page timed it. */
  wallMs: number;
  mipsSamples: number[];
}

async function measureGuest(
  machine: BenchMachine,
  command: string,
  timeoutS: number,
  opts: Pick<BenchOptions, "lastSampleWaitMs" | "guestPath">,
  now: () => number,
): Promise<GuestMeasurement> {
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
    result = await machine.runCheck(command, { timeoutS });
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
  const where = `${machine.name}: `;
  if (result.status !== 0)
    throw new BenchError(
      where + explainStatus(result.status, result.output, opts.guestPath, timeoutS),
    );
  const parsed = parseVbenchOutput(result.output);
  if (!parsed.ok) throw new BenchError(where + parsed.error);
  return { runs: parsed.runs, wallMs, mipsSamples: samples };
}

function toRecord(
  machine: BenchMachine,
  host: HostRun,
  guest: GuestMeasurement,
  expectedRuns: number,
  memory: PageMemory | null,
  opts: BenchOptions,
): RunRecord {
  if (guest.runs.length !== expectedRuns)
    throw new BenchError(
      `${machine.name}: the guest printed ${guest.runs.length} results, expected ${expectedRuns}`,
    );
  // The first run is the warm-up: its checksum counts, its time does not.
  if (guest.runs.some((r) => r.noClock))
    throw new BenchError(
      `${machine.name}: the guest's kernel offers no clock_gettime, so it cannot time itself`,
    );
  const timed = guest.runs.slice(1).map((r) => r.timeMs);
  if (timed.some((t) => t === undefined))
    throw new BenchError(`${machine.name}: the guest printed no time for a run`);
  const guestRunsMs = timed as number[];
  const hostChecksum = formatChecksum(host.checksum);
  const comparison = compareChecksums(
    hostChecksum,
    guest.runs.map((r) => r.checksum),
  );
  const hostMs = median(host.timesMs);
  const guestMs = median(guestRunsMs);
  const guestWallMs = guest.wallMs / expectedRuns;
  const positive = guest.mipsSamples.filter((m) => m > 0);
  const ratio = slowdown(guestMs, hostMs);
  const ratioWall = slowdown(guestWallMs, hostMs);
  return {
    id: opts.newId?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    at: Date.now(),
    vm: machine.name,
    sizeKib: opts.sizeKib,
    rounds: opts.rounds,
    hostMs: round(hostMs, 2),
    hostRunsMs: host.timesMs.map((t) => round(t, 2)),
    guestMs: round(guestMs, 2),
    guestRunsMs: guestRunsMs.map((t) => round(t, 2)),
    guestWallMs: round(guestWallMs, 1),
    ratio: ratio === undefined ? null : round(ratio, 2),
    ratioWall: ratioWall === undefined ? null : round(ratioWall, 2),
    hostChecksum,
    guestChecksum: comparison.ok
      ? comparison.checksum
      : (guest.runs.find((r) => r.checksum !== hostChecksum)?.checksum ?? guest.runs[0]!.checksum),
    checksumsMatch: comparison.ok,
    mips: positive.length ? Math.round(mean(positive)) : null,
    vmsRunning: Math.max(1, opts.vmsRunning, opts.machines.length),
    together: opts.machines.length,
    guestMemoryMb: machine.config.memoryMb,
    pageMemory: memory,
  };
}

/** One record per machine, in the order given. Throws BenchError when any side cannot run. */
export async function runBenchmark(opts: BenchOptions): Promise<RunRecord[]> {
  const { machines, sizeKib, rounds } = opts;
  const hostRepeats = opts.hostRepeats ?? HOST_REPEATS;
  const guestRepeats = opts.guestRepeats ?? GUEST_REPEATS;
  const now = opts.now ?? (() => performance.now());
  if (!validParams(sizeKib, rounds))
    throw new BenchError(`size ${sizeKib} KiB x ${rounds} rounds is out of range`);
  if (machines.length === 0) throw new BenchError("no VM to run in");
  for (const m of machines)
    if (m.state !== "running") throw new BenchError(`${m.name} is ${m.state}: start it first`);

  // The host first, then the guests, never both at once: they would compete for the same cores.
  opts.onPhase?.("host");
  const host = await opts.hostRunner({
    wasmUrl: opts.wasmUrl,
    sizeKib,
    rounds,
    repeats: hostRepeats,
  });
  if (host.timesMs.length === 0) throw new BenchError("the host run returned no timings");

  opts.onPhase?.("guest");
  // One warm-up run (v86 compiles hot guest code on first sight), then the timed runs.
  const runs = guestRepeats + 1;
  const timeoutS = guestTimeoutS(sizeKib, rounds, runs, machines.length);
  const command = guestCommand(opts.guestPath, sizeKib, rounds, runs);
  const guests = await Promise.all(
    machines.map((m) => measureGuest(m, command, timeoutS, opts, now)),
  );

  opts.onPhase?.("memory");
  const records: RunRecord[] = [];
  for (const [i, m] of machines.entries()) {
    const memory = await opts.pageMemory(m.config.memoryMb);
    records.push(toRecord(m, host, guests[i]!, runs, memory, opts));
  }
  return records;
}
