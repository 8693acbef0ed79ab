import {
  checkBalloonTarget,
  guestStatsFrom,
  PAGES_PER_MB,
  type BalloonState,
  type GuestMemoryStats,
} from "./balloon-rules";
import { PAGE_BYTES, releaseZeroPages, scanMemory, type MemoryScan } from "./memory-scan";

/**
 * A VM's memory as its worker sees it: v86's RAM, scanned at most once a second, and v86's
 * virtio-balloon device (not a public API: `v86.cpu.devices.virtio_balloon`, read from
 * libv86.mjs 0.5.462), driven to a target, asked for the guest's statistics, asked to hint its
 * free pages. Pages the guest puts in the balloon are zeroed here, as a host gives them back
 * (KVM drops them with MADV_DONTNEED): v86 itself only counts them.
 */

interface VirtQueueRequest {
  get_next_blob(into: Uint8Array): number;
}
interface VirtQueue {
  pop_request(): VirtQueueRequest;
}
export interface BalloonDevice {
  num_pages: number;
  actual: number;
  Inflate(pages: number): void;
  Deflate(pages: number): void;
  GetStats(callback: (stats: Record<string, number>) => void): void;
  Cleanup(done: (zeroedBytes: number) => void): void;
  virtio: { queues: VirtQueue[] };
}
export interface MemoryCpu {
  mem8: Uint8Array;
  zero_memory(address: number, length: number): void;
  is_memory_zeroed(address: number, length: number): boolean;
  devices: { virtio_balloon?: BalloonDevice };
}

/** At most one scan a second: a scan asked for sooner gets the last one again. */
export const SCAN_INTERVAL_MS = 1000;
/** How long the guest gets to answer a statistics request or a free-page hint. */
const GUEST_ANSWER_MS = 2000;
const zeroing = new WeakSet<BalloonDevice>();

export class MemoryProbe {
  private last: { at: number; scan: MemoryScan } | undefined;
  /** One byte per page: the host has provided it (memory-scan.ts); new with each run or restore. */
  private held: Uint8Array | undefined;

  constructor(private readonly cpu: () => MemoryCpu | undefined) {}

  /** A new emulator, or a restored state: the host holds only what the next scan finds in use. */
  reset(): void {
    this.held = undefined;
    this.last = undefined;
  }

  /** The VM's RAM in pages; a copy of the keys, which the caller may transfer. */
  scan(now = performance.now()): MemoryScan {
    const cpu = this.mustRun();
    if (!this.last || now - this.last.at >= SCAN_INTERVAL_MS) {
      this.held ??= new Uint8Array(Math.ceil(cpu.mem8.byteLength / PAGE_BYTES));
      const scan = scanMemory(cpu.mem8, { isZeroPage: zeroTest(cpu), held: this.held });
      this.last = { at: now, scan };
    }
    return { ...this.last.scan, keys: this.last.scan.keys.slice() };
  }

  /** Sets the balloon's target when one is given, then reads the balloon and the guest's view. */
  async balloon(targetMb?: number): Promise<BalloonState> {
    const cpu = this.mustRun();
    const device = cpu.devices.virtio_balloon;
    if (!device) return { present: false, targetMb: 0, sizeMb: 0, guest: undefined };
    zeroBalloonedPages(device, cpu, (page) => {
      if (this.held) this.held[page] = 0;
    });
    if (targetMb !== undefined) {
      const check = checkBalloonTarget(targetMb, cpu.mem8.byteLength / (1024 * 1024));
      if (!check.ok) throw new Error(check.error);
      const delta = check.pages - device.num_pages;
      if (delta > 0) device.Inflate(delta);
      else if (delta < 0) device.Deflate(-delta);
    }
    const guest = await guestStats(device);
    return {
      present: true,
      targetMb: device.num_pages / PAGES_PER_MB,
      sizeMb: device.actual / PAGES_PER_MB,
      guest,
    };
  }

  /**
   * Asks the guest to hint its free pages, which the device zeroes, and gives every held page
   * that is all zeros back to the host; resolves with the bytes the guest hinted.
   */
  async hintFreePages(): Promise<number> {
    const cpu = this.mustRun();
    const device = cpu.devices.virtio_balloon;
    if (!device) throw new Error("this machine has no memory balloon");
    const bytes = await withTimeout(
      new Promise<number>((resolve) => device.Cleanup(resolve)),
      "the guest did not hint its free pages",
    );
    if (this.held) releaseZeroPages(this.held, zeroTest(cpu));
    this.last = undefined;
    return bytes;
  }

  private mustRun(): MemoryCpu {
    const cpu = this.cpu();
    if (!cpu) throw new Error("the VM is not running");
    return cpu;
  }
}

function guestStats(device: BalloonDevice): Promise<GuestMemoryStats | undefined> {
  return withTimeout(
    new Promise<GuestMemoryStats>((resolve) =>
      device.GetStats((raw) => resolve(guestStatsFrom(raw))),
    ),
    "",
  ).catch(() => undefined);
}

function withTimeout<T>(promise: Promise<T>, why: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(why)), GUEST_ANSWER_MS);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

function zeroTest(cpu: MemoryCpu): (page: number) => boolean {
  return (page) => cpu.is_memory_zeroed(page * PAGE_BYTES, PAGE_BYTES);
}

/**
 * Wraps the inflate queue (queue 0) once per device: each page frame number it reads is zeroed
 * and reported to `given` (the probe of the device's worker, which lives as long as the device).
 */
function zeroBalloonedPages(
  device: BalloonDevice,
  cpu: MemoryCpu,
  given: (page: number) => void,
): void {
  if (zeroing.has(device)) return;
  zeroing.add(device);
  const queue = device.virtio.queues[0]!;
  const pop = queue.pop_request.bind(queue);
  queue.pop_request = () => {
    const request = pop();
    const read = request.get_next_blob.bind(request);
    request.get_next_blob = (into) => {
      const bytes = read(into);
      const frames = new DataView(into.buffer, into.byteOffset, bytes);
      for (let at = 0; at + 4 <= bytes; at += 4) {
        const page = frames.getUint32(at, true);
        if ((page + 1) * PAGE_BYTES > cpu.mem8.byteLength) continue;
        cpu.zero_memory(page * PAGE_BYTES, PAGE_BYTES);
        given(page);
      }
      return bytes;
    };
    return request;
  };
}
