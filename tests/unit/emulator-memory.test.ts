import { afterEach, describe, expect, it } from "vitest";
import {
  BALLOON_GUEST_FLOOR_MB,
  checkBalloonTarget,
  guestStatsFrom,
} from "@/lib/emulator/balloon-rules";
import { MemoryProbe, type BalloonDevice, type MemoryCpu } from "@/lib/emulator/memory-probe";
import { PAGE_BYTES, releaseZeroPages, scanMemory } from "@/lib/emulator/memory-scan";
import type { Manifest } from "@/lib/emulator/manifest";
import { MemoryBoard, type MemoryBoardView } from "@/lib/emulator/memory-board";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { countSharing } from "@/lib/emulator/page-sharing";
import { balloonFor, checkSnapshotCompat } from "@/lib/emulator/snapshot-compat";
import { buildV86Options, machineFor, machineOf } from "@/lib/emulator/v86-options";
import { createMachine, fakeSite, liveSnapshot, manifest, settle, type FakeSite } from "./vm-fakes";

/** `pages` pages of RAM; each entry of `fill` writes one page with a byte pattern. */
function ram(pages: number, fill: Record<number, number> = {}): Uint8Array {
  const memory = new Uint8Array(pages * PAGE_BYTES);
  for (const [page, seed] of Object.entries(fill)) {
    const start = Number(page) * PAGE_BYTES;
    for (let i = 0; i < PAGE_BYTES; i++) memory[start + i] = (seed * 131 + i * 7) & 0xff;
  }
  return memory;
}

describe("memory scan", () => {
  it("counts zero and used pages of real bytes", () => {
    const memory = ram(16, { 1: 5, 4: 9, 15: 2 });
    const scan = scanMemory(memory);
    expect(scan).toMatchObject({ pages: 16, zeroPages: 13, usedPages: 3 });
    expect(scan.keys).toHaveLength(3);
  });

  it("sees one non-zero byte anywhere in a page, its last byte too", () => {
    const memory = ram(4);
    memory[2 * PAGE_BYTES + PAGE_BYTES - 1] = 1;
    memory[3] = 0x80;
    expect(scanMemory(memory)).toMatchObject({ zeroPages: 2, usedPages: 2 });
  });

  it("gives identical pages one key and different pages different keys", () => {
    const memory = ram(8, { 0: 3, 2: 3, 5: 4, 7: 3 });
    // One flipped bit in an otherwise identical page.
    memory[5 * PAGE_BYTES + 100] = memory[2 * PAGE_BYTES + 100]! ^ 1;
    memory.copyWithin(5 * PAGE_BYTES, 2 * PAGE_BYTES, 2 * PAGE_BYTES + 100);
    memory.copyWithin(5 * PAGE_BYTES + 101, 2 * PAGE_BYTES + 101, 3 * PAGE_BYTES);
    const keys = [...scanMemory(memory).keys];
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(2);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toBe(keys[3]);
    expect(keys[2]).not.toBe(keys[0]);
    for (const key of keys) expect(Number.isSafeInteger(key)).toBe(true);
  });

  it("takes a faster zero test from the memory's owner and still hashes used pages", () => {
    const memory = ram(6, { 2: 1, 3: 1 });
    const asked: number[] = [];
    const scan = scanMemory(memory, {
      isZeroPage: (page) => {
        asked.push(page);
        return page !== 2 && page !== 3;
      },
    });
    expect(asked).toEqual([0, 1, 2, 3, 4, 5]);
    expect(scan.usedPages).toBe(2);
    expect(scan.keys[0]).toBe(scan.keys[1]);
  });

  it("holds a page from its first write until it is given back, zero or not", () => {
    const memory = ram(8, { 1: 1, 2: 2, 3: 3 });
    const held = new Uint8Array(8);
    expect(scanMemory(memory, { held })).toMatchObject({ usedPages: 3, heldPages: 3 });
    // The guest frees page 2 (its kernel zeroes freed pages) and writes page 6.
    memory.fill(0, 2 * PAGE_BYTES, 3 * PAGE_BYTES);
    memory[6 * PAGE_BYTES] = 1;
    expect(scanMemory(memory, { held })).toMatchObject({
      usedPages: 3,
      heldPages: 4,
      heldZeroPages: 1,
    });
    const zeroNow = (page: number) =>
      memory.subarray(page * PAGE_BYTES, (page + 1) * PAGE_BYTES).every((b) => b === 0);
    expect(releaseZeroPages(held, zeroNow)).toBe(1);
    expect(scanMemory(memory, { held })).toMatchObject({ heldPages: 3, heldZeroPages: 0 });
  });

  it("scans a view that does not start on a word boundary and a partial last page", () => {
    const backing = new Uint8Array(PAGE_BYTES * 2 + 3);
    backing[PAGE_BYTES * 2 + 2] = 9;
    const view = backing.subarray(1);
    expect(scanMemory(view)).toMatchObject({ pages: 3, usedPages: 1, zeroPages: 2 });
  });
});

describe("identical pages across VMs", () => {
  it("counts a VM's pages that another VM also has, repeats within one VM, and what merging frees", () => {
    const a = scanMemory(ram(8, { 0: 1, 1: 2, 2: 3, 3: 3 }));
    const b = scanMemory(ram(8, { 0: 1, 1: 2, 5: 7 }));
    const c = scanMemory(ram(8, { 4: 9 }));
    const sharing = countSharing([
      { id: "a", keys: a.keys },
      { id: "b", keys: b.keys },
      { id: "c", keys: c.keys },
    ]);
    expect(sharing.byVm.get("a")).toEqual({ sharedWithOthers: 2, repeatsWithin: 1 });
    expect(sharing.byVm.get("b")).toEqual({ sharedWithOthers: 2, repeatsWithin: 0 });
    expect(sharing.byVm.get("c")).toEqual({ sharedWithOthers: 0, repeatsWithin: 0 });
    // 4 + 3 + 1 used pages hold 5 different contents (1, 2, 3, 7, 9).
    expect(sharing).toMatchObject({ usedPages: 8, distinctPages: 5, mergeablePages: 3 });
  });

  it("finds nothing to share in one VM of distinct pages, or none at all", () => {
    const one = scanMemory(ram(4, { 0: 1, 1: 2 }));
    expect(countSharing([{ id: "x", keys: one.keys }]).mergeablePages).toBe(0);
    expect(countSharing([])).toMatchObject({ usedPages: 0, distinctPages: 0, mergeablePages: 0 });
  });
});

describe("balloon target", () => {
  it("takes whole MB up to the VM's memory less what the guest keeps", () => {
    expect(checkBalloonTarget(48, 128)).toEqual({ ok: true, pages: 48 * 256 });
    expect(checkBalloonTarget(0, 128)).toEqual({ ok: true, pages: 0 });
    expect(checkBalloonTarget(128 - BALLOON_GUEST_FLOOR_MB, 128).ok).toBe(true);
  });

  it("refuses a target above the guest's memory, negative or fractional, saying why", () => {
    expect(checkBalloonTarget(200, 128)).toEqual({
      ok: false,
      error:
        "a 200 MB balloon does not fit a 128 MB VM: the guest keeps at least 64 MB, so the largest balloon is 64 MB",
    });
    expect(checkBalloonTarget(65, 128).ok).toBe(false);
    expect(checkBalloonTarget(-1, 128)).toMatchObject({ ok: false });
    expect(checkBalloonTarget(1.5, 128)).toMatchObject({ ok: false });
  });

  it("reads the guest's statistics by their virtio names", () => {
    expect(
      guestStatsFrom({ MEMTOT: 100, MEMFREE: 40, AVAIL: 50, CACHES: 8, SWAP_IN: 1, MINFLT: 3 }),
    ).toEqual({
      totalBytes: 100,
      freeBytes: 40,
      availableBytes: 50,
      cachesBytes: 8,
      swapInBytes: 1,
      swapOutBytes: 0,
      majorFaults: 0,
      minorFaults: 3,
    });
  });
});

/** v86's balloon device as memory-probe.ts drives it: a counter and the inflate queue. */
function fakeBalloon(frames: number[]): { device: BalloonDevice; cpu: MemoryCpu } {
  // 72 MiB: the guest keeps 64, so balloons of up to 8 MB fit.
  const mem8 = ram(72 * 256, Object.fromEntries(frames.map((f) => [f, f + 1])));
  const cpu: MemoryCpu = {
    mem8,
    zero_memory: (address, length) => mem8.fill(0, address, address + length),
    is_memory_zeroed: (address, length) =>
      mem8.subarray(address, address + length).every((b) => b === 0),
    devices: {},
  };
  const blob = new Uint8Array(Uint32Array.from(frames).buffer);
  const device: BalloonDevice = {
    num_pages: 0,
    actual: 0,
    Inflate(pages) {
      this.num_pages += pages;
      // The guest answers by handing pages over on the inflate queue.
      const request = this.virtio.queues[0]!.pop_request();
      request.get_next_blob(new Uint8Array(blob.byteLength));
      this.actual += frames.length;
    },
    Deflate(pages) {
      this.num_pages -= pages;
    },
    GetStats: (callback) => callback({ MEMTOT: 1000, MEMFREE: 600 }),
    Cleanup: (done) => done(0),
    virtio: {
      queues: [
        {
          pop_request: () => ({
            get_next_blob: (into) => {
              into.set(blob);
              return blob.byteLength;
            },
          }),
        },
      ],
    },
  };
  cpu.devices.virtio_balloon = device;
  return { device, cpu };
}

describe("memory probe", () => {
  it("zeroes the pages the guest puts in the balloon, as a host gives them back", async () => {
    const { cpu } = fakeBalloon([3, 10]);
    const probe = new MemoryProbe(() => cpu);
    expect(probe.scan(0)).toMatchObject({ usedPages: 2, heldPages: 2 });
    const state = await probe.balloon(1);
    expect(state).toMatchObject({ present: true, targetMb: 1 });
    expect(state.guest).toMatchObject({ totalBytes: 1000, freeBytes: 600 });
    expect(probe.scan(5000)).toMatchObject({ usedPages: 0, heldPages: 0 });
  });

  it("scans at most once a second and refuses a balloon too big, or none when stopped", async () => {
    const { cpu } = fakeBalloon([1]);
    const probe = new MemoryProbe(() => cpu);
    expect(probe.scan(1000).usedPages).toBe(1);
    cpu.mem8.fill(7, 0, PAGE_BYTES);
    expect(probe.scan(1500).usedPages).toBe(1);
    expect(probe.scan(2000).usedPages).toBe(2);
    await expect(probe.balloon(9)).rejects.toThrow(
      "a 9 MB balloon does not fit a 72 MB VM: the guest keeps at least 64 MB, so the largest balloon is 8 MB",
    );
    expect(() => new MemoryProbe(() => undefined).scan()).toThrow("the VM is not running");
  });
});

describe("the balloon is part of the machine", () => {
  const machine = machineFor(128);
  const profile = { ...(manifest as unknown as Manifest).profiles.live!, machine };
  const { balloon: _, ...before } = machine;
  const old = { file: "s", raw_bytes: 1, v86_version: "1", prompt: "# ", machine: before };

  it("gives every machine the balloon, and a state made without one restores without one", () => {
    expect(machine.balloon).toBe(true);
    const options = buildV86Options({ profile, files: {}, wasmPath: "/w" });
    expect(options.virtio_balloon).toBe(true);
    expect(machineOf(options)).toEqual(machine);
    expect(checkSnapshotCompat(old, { v86Version: "1", machine })).toEqual({ ok: true });
    expect(balloonFor(old)).toBe(false);
    expect(balloonFor({ machine })).toBe(true);
    expect(balloonFor(undefined)).toBeUndefined();
    const restored = buildV86Options({ profile, files: {}, wasmPath: "/w", balloon: false });
    expect(restored.virtio_balloon).toBeUndefined();
    expect(machineOf(restored)).toEqual({ ...machine, balloon: false });
  });

  it("refuses a state with a balloon on a machine without one", () => {
    expect(
      checkSnapshotCompat(
        { ...old, machine },
        { v86Version: "1", machine: { ...machine, balloon: false } },
      ),
    ).toEqual({
      ok: false,
      error:
        "this snapshot was made with a memory balloon, which this machine has not; start with a cold boot instead",
    });
  });
});

describe("a learner's snapshot from before the balloon", () => {
  const realFetch = globalThis.fetch;
  let site: FakeSite | undefined;
  afterEach(async () => {
    await site?.host.destroy();
    site = undefined;
    globalThis.fetch = realFetch;
  });

  it("restores into a running VM by starting it again on a machine without the balloon", async () => {
    site = fakeSite();
    const machine = await createMachine(site, { name: "web1" });
    await machine.start({ cold: true });
    await settle();
    const worker = site.workers[0]!;
    expect(worker.boots[0]!.options.virtio_balloon).toBe(true);
    worker.say({ type: "ready", at: 1 });
    expect(machine.balloonNow).toBe(true);

    const { balloon: _, ...before } = machineFor(128, machine.config.nic);
    const old = { ...liveSnapshot("web1"), machine: before };
    const restoring = machine.restoreSnapshot(old);
    await settle();
    site.workers[0]!.say({ type: "ready", at: 2 });
    await restoring;
    const boots = site.workers.flatMap((w) => w.boots);
    expect(boots).toHaveLength(2);
    expect(boots[1]!.options.initial_state).toBeDefined();
    expect(boots[1]!.options.virtio_balloon).toBeUndefined();
    expect(machine.balloonNow).toBe(false);
  });

  it("restores a snapshot with the balloon in a fresh emulator in the same worker", async () => {
    site = fakeSite();
    const machine = await createMachine(site, { name: "web1" });
    await machine.start({ cold: true });
    await settle();
    site.workers[0]!.say({ type: "ready", at: 1 });
    const snapshot = { ...liveSnapshot("web1"), machine: machineFor(128, machine.config.nic) };
    const restoring = machine.restoreSnapshot(snapshot);
    await settle();
    site.workers[0]!.say({ type: "ready", at: 2 });
    await restoring;
    expect(site.workers).toHaveLength(1);
    const boots = site.workers[0]!.boots;
    expect(boots).toHaveLength(2);
    expect(boots[1]!.options.initial_state).toBeDefined();
    expect(boots[1]!.options.virtio_balloon).toBe(true);
    expect(machine.balloonNow).toBe(true);
  });
});

describe("memory board", () => {
  /** A running machine as the board reads it: a scan of its own bytes and a balloon. */
  function stubMachine(id: string, memory: Uint8Array) {
    const stub = {
      id,
      state: "running",
      failing: false,
      scanMemory: async () => {
        if (stub.failing) throw new Error("busy");
        return scanMemory(memory, { held: new Uint8Array(memory.byteLength / PAGE_BYTES) });
      },
      balloon: async () => ({ present: true, targetMb: 0, sizeMb: 0, guest: undefined }),
    };
    return stub;
  }

  it("reads every running VM while watched, counts shared pages, keeps a VM's last reading when one fails", async () => {
    const a = stubMachine("a", ram(8, { 0: 1, 1: 2, 2: 3 }));
    const b = stubMachine("b", ram(8, { 0: 1, 5: 9 }));
    const board = new MemoryBoard(() => [a, b] as unknown as VmMachine[]);
    const views: MemoryBoardView[] = [];
    const stop = board.watch((view) => views.push(view));
    await settle();
    expect(views).toHaveLength(1);
    expect(views[0]!.vms.get("a")).toMatchObject({
      usedPages: 3,
      heldPages: 3,
      sharedWithOthers: 1,
    });
    expect(views[0]!.vms.get("b")).toMatchObject({ usedPages: 2, sharedWithOthers: 1 });
    expect(views[0]!.mergeablePages).toBe(1);
    a.failing = true;
    board.refresh();
    await settle();
    expect(views).toHaveLength(2);
    expect(views[1]!.vms.get("a")).toBe(views[0]!.vms.get("a"));
    stop();
    board.refresh();
    await settle();
    expect(views).toHaveLength(2);
  });
});
