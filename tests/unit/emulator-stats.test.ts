import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { counterDelta, MipsMeter } from "@/lib/emulator/mips-meter";
import { TextWatch } from "@/lib/emulator/serial-watch";
import { VmStatsTracker } from "@/lib/emulator/vm-stats";
import type { StatsSample } from "@/lib/emulator/worker-protocol";

const U32 = 2 ** 32;

describe("instruction counter", () => {
  it("corrects for the 32-bit wrap", () => {
    expect(counterDelta(100, 300)).toBe(200);
    expect(counterDelta(U32 - 100, 50)).toBe(150);
    expect(counterDelta(5, 5)).toBe(0);
  });

  it("gives the true delta for any start and any step below 2^32", () => {
    fc.assert(
      fc.property(fc.nat({ max: U32 - 1 }), fc.nat({ max: U32 - 1 }), (start, step) => {
        expect(counterDelta(start, (start + step) % U32)).toBe(step);
      }),
    );
  });
});

describe("MipsMeter", () => {
  it("reports MIPS now and on average across a wrap", () => {
    const m = new MipsMeter();
    m.sample(0, U32 - 100_000_000);
    const a = m.sample(1000, 200_000_000); // 300 M instructions in 1 s, wrapped
    expect(a.now).toBeCloseTo(300);
    const b = m.sample(2000, 300_000_000);
    expect(b.now).toBeCloseTo(100);
    expect(b.average).toBeCloseTo(200);
  });

  it("leaves paused time out of the average", () => {
    const m = new MipsMeter();
    m.sample(0, 0);
    m.sample(1000, 200_000_000);
    const paused = m.sample(11_000, 200_000_000, false);
    expect(paused.now).toBe(0);
    const r = m.sample(12_000, 400_000_000);
    expect(r.average).toBeCloseTo(200);
  });
});

describe("TextWatch", () => {
  it("finds text split across chunks, once per occurrence", () => {
    let hits = 0;
    const w = new TextWatch("Kernel panic", () => hits++);
    for (const chunk of ["[ 1.0] Ker", "nel pa", "nic - not syncing"]) w.push(chunk);
    expect(hits).toBe(1);
    w.push("nothing here");
    expect(hits).toBe(1);
  });
});

describe("VmStatsTracker", () => {
  const sample = (t: number, counter: number, extra: Partial<StatsSample> = {}): StatsSample => ({
    t,
    counter,
    running: true,
    diskReadBytes: 0,
    diskWriteBytes: 0,
    netRxPackets: 0,
    netTxPackets: 0,
    ...extra,
  });
  let now = 0;
  beforeEach(() => {
    now = 0;
    vi.spyOn(performance, "now").mockImplementation(() => now);
  });
  afterEach(() => vi.restoreAllMocks());

  it("counts boot time from the start to ready, and uptime only while the guest runs", () => {
    const tracker = new VmStatsTracker(128);
    now = 1000;
    tracker.restart();
    tracker.sample(sample(1000, 0), true);
    now = 3500;
    tracker.ready();
    expect(tracker.current.bootMs).toBe(2500);
    now = 4000;
    tracker.sample(sample(4000, 300_000_000), true);
    now = 64_000;
    tracker.sample(sample(64_000, 300_000_000), false);
    now = 66_000;
    const stats = tracker.sample(sample(66_000, 500_000_000), true);
    expect(stats.uptimeS).toBe(5);
    expect(stats.mipsNow).toBeCloseTo(100);
    tracker.stopped();
    expect(tracker.current.mipsNow).toBe(0);
  });

  it("keeps two minutes of history and takes the switch port's packet counts over the NIC's", () => {
    const tracker = new VmStatsTracker(64);
    for (let s = 0; s < 150; s++) {
      now = s * 1000;
      tracker.sample(sample(now, s * 1000, { netRxPackets: 9, netTxPackets: 9 }), true);
    }
    expect(tracker.history).toHaveLength(120);
    expect(tracker.history[0]!.t).toBe(30_000);
    const stats = tracker.sample(sample(150_000, 150_000), true, { rxPackets: 3, txPackets: 4 });
    expect([stats.netRxPackets, stats.netTxPackets, stats.memoryMb]).toEqual([3, 4, 64]);
  });
});
