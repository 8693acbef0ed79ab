import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "@/lib/emulator/manifest";
import { DiskChangeTracker } from "@/lib/emulator/disk-changes";
import { watchDisk, type IdeDisk } from "@/lib/emulator/disk-watch";
import { NodeVm } from "@/guest/node-vm";
import type { AgentClient } from "@/lib/guest-agent/client";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

const MIB = 1024 * 1024;

/**
 * The worker's disk watch on a real guest (v86 in Node, cold boot so that the kernel probes the
 * disk after the watch is in place): the guest sees a write cache, flushes on sync, and every
 * chunk it writes is noted.
 */
describe("watching a guest's disk", () => {
  let manifest: Manifest;
  let vm: NodeVm;
  let agent: AgentClient;
  const disk = new ArrayBuffer(16 * MIB);
  const tracker = new DiskChangeTracker();
  const events = { dirty: 0, flush: 0 };

  beforeAll(async () => {
    manifest = await loadImages();
    vm = await NodeVm.boot(manifest, "live", { files: { hda: { buffer: disk } } });
    const emulator = vm.emulator as unknown as {
      v86: { cpu: { devices: { ide: { primary: { master: IdeDisk } } } } };
    };
    const watched = watchDisk(
      emulator.v86.cpu.devices.ide.primary.master,
      tracker,
      () => events.dirty++,
      () => events.flush++,
    );
    expect(watched).toBe(true);
    await vm.waitForSerial("root@live:~# ", { timeoutMs: 120_000 });
    agent = agentFor(vm);
    await agent.waitReady(30_000);
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    agent?.dispose();
    await vm?.destroy();
  });

  it("tells the guest its disk has a write cache, so Linux sends FLUSH CACHE on fsync", async () => {
    const cache = await agent.run("dmesg | grep -o 'Write cache: [a-z]*' | head -n 1");
    expect(cache.output.trim()).toBe("Write cache: enabled");
    const before = events.flush;
    const r = await agent.run(
      "dd if=/dev/zero bs=4k count=1 2>/dev/null | tr '\\0' x | dd of=/dev/sda conv=fsync 2>/dev/null; echo synced",
    );
    expect(r.output).toContain("synced");
    expect(events.flush).toBeGreaterThan(before);
  });

  it("notes the chunks the guest wrote, and hands over copies of just those", async () => {
    tracker.take(disk, { full: false, include: [] });
    const dirtyBefore = events.dirty;
    await agent.run(
      "dd if=/dev/zero bs=64k count=1 2>/dev/null | tr '\\0' y | dd of=/dev/sda bs=64k seek=48 conv=fsync 2>/dev/null; echo ok",
    );
    expect(events.dirty).toBe(dirtyBefore + 1);
    const changes = tracker.take(disk, { full: false, include: [] });
    expect(changes.chunks.map((c) => c.index)).toEqual([3]);
    const bytes = new Uint8Array(changes.chunks[0]!.data!);
    expect(String.fromCharCode(bytes[0]!)).toBe("y");
  });
});
