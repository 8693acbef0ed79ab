import { describe, expect, it } from "vitest";
import { Emitter } from "@/lib/emulator/emitter";
import type { VmConfig } from "@/lib/emulator/vm-config";
import type { VmEvents, VmStats } from "@/lib/emulator/vm-machine";
import { BenchError, runBenchmark, type BenchMachine } from "@/lib/overhead/run-benchmark";
import type { HostRunner } from "@/lib/overhead/host-runner";

const stats = (mipsNow: number) => ({ mipsNow }) as VmStats;

function fakeMachine(
  reply: (command: string, m: { events: Emitter<VmEvents> }) => { status: number; output: string },
) {
  const events = new Emitter<VmEvents>();
  const commands: string[] = [];
  const machine: BenchMachine = {
    name: "bench",
    state: "running",
    config: { memoryMb: 128 } as VmConfig,
    events,
    async runCheck(command: string) {
      commands.push(command);
      return { ...reply(command, { events }), rawOutput: new Uint8Array(), truncated: false };
    },
  };
  return { machine, events, commands };
}

const line = (sum: string, us: number) =>
  `vbench size_kib=256 rounds=20 checksum=${sum}\ntime_us=${us}\n`;
const host: HostRunner = async (req) => {
  expect(req).toMatchObject({ sizeKib: 256, rounds: 20, repeats: 5 });
  return { checksum: 0x90c78135, timesMs: [10, 11, 10, 40, 10] };
};
const base = {
  sizeKib: 256,
  rounds: 20,
  wasmUrl: "/images/vbench.wasm",
  guestPath: "/usr/bin/vbench",
  hostRunner: host,
  vmsRunning: 1,
  pageMemory: async (mb: number) => ({ mb: mb + 32, source: "estimate" as const }),
  lastSampleWaitMs: 20,
};

describe("runBenchmark", () => {
  it("times both sides, compares checksums, samples MIPS and records the run", async () => {
    const { machine, commands } = fakeMachine((_, { events }) => {
      events.emit("stats", stats(200));
      events.emit("stats", stats(240));
      setTimeout(() => events.emit("stats", stats(220)), 5);
      return {
        status: 0,
        output:
          line("90c78135", 900_000) +
          line("90c78135", 400_000) +
          line("90c78135", 420_000) +
          line("90c78135", 410_000),
      };
    });
    const [record, ...more] = await runBenchmark({ ...base, machines: [machine], vmsRunning: 4 });
    expect(more).toEqual([]);
    expect(commands).toEqual(["for i in 1 2 3 4; do /usr/bin/vbench -t 256 20 || exit $?; done"]);
    expect(record).toMatchObject({
      vm: "bench",
      hostMs: 10,
      guestMs: 410, // median of the timed runs; the warm-up (900 ms) is left out
      guestRunsMs: [400, 420, 410],
      ratio: 41,
      hostChecksum: "90c78135",
      guestChecksum: "90c78135",
      checksumsMatch: true,
      mips: 220,
      vmsRunning: 4,
      together: 1,
      guestMemoryMb: 128,
      pageMemory: { mb: 160, source: "estimate" },
    });
  });

  it("records a checksum mismatch instead of hiding it", async () => {
    const { machine } = fakeMachine(() => ({
      status: 0,
      output: line("90c78135", 1) + line("90c78135", 1) + line("deadbeef", 1) + line("90c78135", 1),
    }));
    const [record] = await runBenchmark({ ...base, machines: [machine] });
    expect(record!.checksumsMatch).toBe(false);
    expect(record!.guestChecksum).toBe("deadbeef");
    expect(record!.mips).toBeNull();
  });

  it("explains a guest without the benchmark, bad output and a VM that is not running", async () => {
    const missing = fakeMachine(() => ({
      status: 127,
      output: "sh: /usr/bin/vbench: not found\n",
    }));
    await expect(runBenchmark({ ...base, machines: [missing.machine] })).rejects.toThrow(
      /not in this guest/,
    );
    const short = fakeMachine(() => ({ status: 0, output: line("90c78135", 1) }));
    await expect(runBenchmark({ ...base, machines: [short.machine] })).rejects.toThrow(
      /printed 1 results, expected 4/,
    );
    const clockless = fakeMachine(() => ({
      status: 0,
      output: "vbench size_kib=256 rounds=20 checksum=90c78135\ntime_us=unavailable\n".repeat(4),
    }));
    await expect(runBenchmark({ ...base, machines: [clockless.machine] })).rejects.toThrow(
      /no clock_gettime/,
    );
    const stopped = fakeMachine(() => ({ status: 0, output: "" }));
    await expect(
      runBenchmark({ ...base, machines: [{ ...stopped.machine, state: "stopped" }] }),
    ).rejects.toThrow(BenchError);
    await expect(
      runBenchmark({ ...base, sizeKib: 0, machines: [stopped.machine] }),
    ).rejects.toThrow(/out of range/);
  });

  it("runs several VMs at the same time, one record each, against one host run", async () => {
    let hostRuns = 0;
    const countingHost: HostRunner = async (req) => {
      hostRuns++;
      return host(req);
    };
    let inFlight = 0;
    let maxInFlight = 0;
    const make = (name: string) => {
      const f = fakeMachine(() => ({ status: 0, output: "" }));
      return {
        ...f.machine,
        name,
        async runCheck() {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 10));
          inFlight--;
          const out = [1, 2, 3, 4].map(() => line("90c78135", 500_000)).join("");
          return { status: 0, output: out, rawOutput: new Uint8Array(), truncated: false };
        },
      };
    };
    const records = await runBenchmark({
      ...base,
      hostRunner: countingHost,
      machines: [make("a"), make("b"), make("c"), make("d")],
      vmsRunning: 2,
    });
    expect(hostRuns).toBe(1);
    expect(maxInFlight).toBe(4);
    expect(records.map((r) => [r.vm, r.together, r.vmsRunning, r.ratio])).toEqual([
      ["a", 4, 4, 50],
      ["b", 4, 4, 50],
      ["c", 4, 4, 50],
      ["d", 4, 4, 50],
    ]);
  });
});
