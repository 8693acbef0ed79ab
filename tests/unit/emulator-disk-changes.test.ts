import { describe, expect, it } from "vitest";
import { DiskChangeTracker, changesOf } from "@/lib/emulator/disk-changes";
import { watchDisk } from "@/lib/emulator/disk-watch";

const CHUNK = 1024;

describe("disk change tracker", () => {
  it("notes the chunks a write touches, says when a clean disk got dirty, and hands them over once", () => {
    const disk = new ArrayBuffer(4 * CHUNK);
    const bytes = new Uint8Array(disk);
    const t = new DiskChangeTracker(CHUNK);
    bytes.fill(7, CHUNK - 2, CHUNK + 2);
    expect(t.noteWrite(CHUNK - 2, 4)).toBe(true);
    expect(t.noteWrite(CHUNK, 1)).toBe(false);
    expect(t.changedChunks).toBe(2);
    const taken = t.take(disk, { full: false, include: [] });
    expect(taken.chunks.map((c) => c.index)).toEqual([0, 1]);
    expect(new Uint8Array(taken.chunks[1]!.data!)[1]).toBe(7);
    // A copy: later writes do not change what was taken.
    bytes[CHUNK + 1] = 9;
    expect(new Uint8Array(taken.chunks[1]!.data!)[1]).toBe(7);
    expect(t.take(disk, { full: false, include: [] }).chunks).toEqual([]);
    expect(t.noteWrite(3 * CHUNK, CHUNK)).toBe(true);
  });

  it("adds asked-for chunks, lists every chunk when full, and gives zero chunks as null", () => {
    const disk = new ArrayBuffer(3 * CHUNK + 10);
    new Uint8Array(disk)[2 * CHUNK] = 1;
    const t = new DiskChangeTracker(CHUNK);
    t.noteWrite(0, 1);
    const some = t.take(disk, { full: false, include: [2, 2, 99, -1] });
    expect(some.chunks.map((c) => [c.index, c.data === null])).toEqual([
      [0, true],
      [2, false],
    ]);
    const all = t.take(disk, { full: true, include: [] });
    expect(all.full).toBe(true);
    expect(all.chunks.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(all.chunks[3]!.data).toBeNull();
    expect(changesOf(disk, false, [3], CHUNK).chunks[0]).toEqual({ index: 3, data: null });
  });

  it("ignores empty writes", () => {
    const t = new DiskChangeTracker(CHUNK);
    expect(t.noteWrite(10, 0)).toBe(false);
    expect(t.changedChunks).toBe(0);
  });
});

describe("watching v86's disk", () => {
  /** The shape of v86's IDE interface and its SyncBuffer, as the worker reaches them. */
  function ideDisk() {
    const log: string[] = [];
    const buffer = {
      buffer: new ArrayBuffer(4 * CHUNK),
      set(this: { buffer: ArrayBuffer }, start: number, data: Uint8Array, done: () => void) {
        new Uint8Array(this.buffer, start, data.byteLength).set(data);
        done();
      },
    };
    const disk = {
      buffer,
      ata_command(code: number) {
        log.push(`command ${code.toString(16)}`);
      },
    };
    return { disk, log };
  }

  it("notes writes in the tracker, and reports the first one and every cache flush", () => {
    const { disk, log } = ideDisk();
    const t = new DiskChangeTracker(CHUNK);
    const events: string[] = [];
    const watch = () =>
      watchDisk(
        disk,
        t,
        () => events.push("dirty"),
        () => events.push("flush"),
      );
    expect(watch()).toBe(true);
    expect(watch()).toBe(true); // a second call wraps nothing twice
    let done = 0;
    disk.buffer.set(CHUNK * 2, new Uint8Array([1, 2]), () => done++);
    disk.buffer.set(CHUNK * 2 + 5, new Uint8Array([3]), () => done++);
    expect(done).toBe(2);
    expect(new Uint8Array(disk.buffer.buffer)[CHUNK * 2 + 1]).toBe(2);
    disk.ata_command(0x20);
    disk.ata_command(0xe7);
    disk.ata_command(0xea);
    expect(log).toEqual(["command 20", "command e7", "command ea"]);
    expect(events).toEqual(["dirty", "flush", "flush"]);
    expect(
      t.take(disk.buffer.buffer, { full: false, include: [] }).chunks.map((c) => c.index),
    ).toEqual([2]);
  });

  it("watches an interface that is sealed, as v86 seals its IDE interfaces, and only that one", () => {
    const seen: number[] = [];
    class Interface {
      buffer = {
        buffer: new ArrayBuffer(2 * CHUNK),
        set: (_s: number, _d: Uint8Array, done: () => void) => done(),
      };
      ata_command(code: number) {
        seen.push(code);
      }
    }
    const disk = Object.seal(new Interface());
    const cd = Object.seal(new Interface());
    const flushes: string[] = [];
    const t = new DiskChangeTracker(CHUNK);
    expect(
      watchDisk(
        disk,
        t,
        () => {},
        () => flushes.push("disk"),
      ),
    ).toBe(true);
    disk.ata_command(0xe7);
    cd.ata_command(0xe7);
    expect(seen).toEqual([0xe7, 0xe7]);
    expect(flushes).toEqual(["disk"]);
    // Watching again adds no second hook.
    expect(
      watchDisk(
        disk,
        t,
        () => {},
        () => flushes.push("again"),
      ),
    ).toBe(true);
    disk.ata_command(0xea);
    expect(flushes).toEqual(["disk", "disk"]);
  });

  it("says so when there is no disk to watch", () => {
    const t = new DiskChangeTracker(CHUNK);
    expect(
      watchDisk(
        undefined,
        t,
        () => {},
        () => {},
      ),
    ).toBe(false);
    expect(
      watchDisk(
        {},
        t,
        () => {},
        () => {},
      ),
    ).toBe(false);
  });
});
