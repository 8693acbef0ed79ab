import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentClient } from "@/lib/guest-agent/client";
import { MemoryProbe, type MemoryCpu } from "@/lib/emulator/memory-probe";
import { NodeVm } from "@/guest/node-vm";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

/**
 * The memory balloon and the host's page scan on the live guest restored from its boot
 * snapshot: the worker's probe (memory-probe.ts) drives v86's device as the page would.
 */

const MIB = 1024 * 1024;

describe("memory balloon and scan, live guest", () => {
  let vm: NodeVm;
  let agent: AgentClient;
  let probe: MemoryProbe;
  let clock = 0;
  /** Each scan a second later than the last, so that none is answered from the last one. */
  const scan = () => probe.scan((clock += 2000));

  const meminfo = async (): Promise<{ total: number; free: number }> => {
    const out = (await agent.run("cat /proc/meminfo")).output;
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(out)?.[1]) * 1024;
    return { total: kb("MemTotal"), free: kb("MemFree") };
  };

  const balloonReaches = async (mb: number): Promise<number> => {
    const startedAt = performance.now();
    for (;;) {
      const state = await probe.balloon();
      if (state.sizeMb === mb) return performance.now() - startedAt;
      if (performance.now() - startedAt > 30_000)
        throw new Error(`the balloon stayed at ${state.sizeMb} MB, not ${mb}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    const manifest = await loadImages();
    vm = await NodeVm.boot(manifest, "live", { fromSnapshot: true });
    agent = agentFor(vm);
    await agent.waitReady(60_000);
    probe = new MemoryProbe(() => (vm.emulator as unknown as { v86: { cpu: MemoryCpu } }).v86.cpu);
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    agent?.dispose();
    await vm?.destroy();
  });

  it("reads the guest's own figures from the balloon's statistics", async () => {
    const state = await probe.balloon();
    const inGuest = await meminfo();
    expect(state).toMatchObject({ present: true, targetMb: 0, sizeMb: 0 });
    expect(state.guest?.totalBytes).toBe(inGuest.total);
    expect(state.guest!.freeBytes).toBeGreaterThan(32 * MIB);
  }, 30_000);

  it("sees touched pages grow when the guest fills 32 MiB, and the host keep them once freed", async () => {
    const before = scan();
    const fill = await agent.run(
      "yes vlabs-page | head -c 1048576 > /root/mib; for i in $(seq 32); do cat /root/mib; done > /root/fill; rm /root/mib",
      { timeoutS: 60 },
    );
    expect(fill.status).toBe(0);
    const filled = scan();
    expect(filled.usedPages - before.usedPages).toBeGreaterThan(32 * 256 * 0.9);
    await agent.run("rm /root/fill");
    const freed = scan();
    // The guest zeroes what it frees (init_on_free=on): in use no more, but still the host's.
    expect(filled.usedPages - freed.usedPages).toBeGreaterThan(32 * 256 * 0.9);
    expect(freed.heldPages).toBeGreaterThanOrEqual(filled.heldPages - 64);
    expect(freed.heldZeroPages).toBeGreaterThan(32 * 256 * 0.9);
    await probe.hintFreePages();
    expect(scan().heldPages).toBeLessThan(freed.heldPages - 32 * 256 * 0.9);
  }, 60_000);

  it("inflating by 48 MB takes it from the guest's MemTotal; deflating gives it back", async () => {
    const before = await meminfo();
    await probe.balloon(48);
    await balloonReaches(48);
    const inflated = await meminfo();
    expect(before.total - inflated.total).toBe(48 * MIB);
    expect(before.free - inflated.free).toBeGreaterThan(40 * MIB);
    const state = await probe.balloon();
    expect(state.guest?.totalBytes).toBe(inflated.total);
    await probe.balloon(0);
    await balloonReaches(0);
    expect((await meminfo()).total).toBe(before.total);
  }, 90_000);

  it("refuses a balloon target above the guest's memory with the reason", async () => {
    await expect(probe.balloon(200)).rejects.toThrow(
      "a 200 MB balloon does not fit a 128 MB VM: the guest keeps at least 64 MB, so the largest balloon is 64 MB",
    );
    expect((await probe.balloon()).targetMb).toBe(0);
  }, 30_000);

  it("finds the same pages in two guests restored from one snapshot", async () => {
    const manifest = await loadImages();
    const twin = await NodeVm.boot(manifest, "live", { fromSnapshot: true });
    try {
      const twinProbe = new MemoryProbe(
        () => (twin.emulator as unknown as { v86: { cpu: MemoryCpu } }).v86.cpu,
      );
      await new Promise((r) => setTimeout(r, 1000));
      const mine = new Set(scan().keys);
      const theirs = twinProbe.scan().keys;
      const same = theirs.filter((key) => mine.has(key)).length;
      expect(same / theirs.length).toBeGreaterThan(0.5);
    } finally {
      await twin.destroy();
    }
  }, 60_000);
});
