/**
 * The memory balloon's rules and figures, shared by the page (which checks what the learner
 * asks for where it was typed) and the VM's worker (which checks again before it acts).
 */

/**
 * What a balloon may never take. The live guest's kernel keeps about 24 MB of a 128 MB VM for
 * itself before MemTotal, and its RAM-backed root holds files: with a 32 MB floor, a full balloon
 * left it 8 MB and it panicked ("System is deadlocked on memory"). 64 MB leaves room to work.
 */
export const BALLOON_GUEST_FLOOR_MB = 64;

export type BalloonCheck = { ok: true; pages: number } | { ok: false; error: string };

/** Pages of 4 KiB in a MiB: the balloon counts in pages. */
export const PAGES_PER_MB = 256;

/** Whether a balloon of `targetMb` fits a VM of `memoryMb`, in pages when it does. */
export function checkBalloonTarget(targetMb: number, memoryMb: number): BalloonCheck {
  if (!Number.isInteger(targetMb) || targetMb < 0)
    return {
      ok: false,
      error: `a balloon target is a whole number of MB, 0 or more (not ${targetMb})`,
    };
  const largest = Math.max(0, memoryMb - BALLOON_GUEST_FLOOR_MB);
  if (targetMb > largest)
    return {
      ok: false,
      error: `a ${targetMb} MB balloon does not fit a ${memoryMb} MB VM: the guest keeps at least ${BALLOON_GUEST_FLOOR_MB} MB, so the largest balloon is ${largest} MB`,
    };
  return { ok: true, pages: targetMb * PAGES_PER_MB };
}

/** The guest's own figures, from the balloon's statistics queue (bytes, or counts). */
export interface GuestMemoryStats {
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
  cachesBytes: number;
  swapInBytes: number;
  swapOutBytes: number;
  majorFaults: number;
  minorFaults: number;
}

/** v86 hands the queue's entries over by their virtio names (VIRTIO_BALLOON_S_* without the prefix). */
export function guestStatsFrom(raw: Record<string, number>): GuestMemoryStats {
  const n = (name: string): number => Number(raw[name] ?? 0);
  return {
    totalBytes: n("MEMTOT"),
    freeBytes: n("MEMFREE"),
    availableBytes: n("AVAIL"),
    cachesBytes: n("CACHES"),
    swapInBytes: n("SWAP_IN"),
    swapOutBytes: n("SWAP_OUT"),
    majorFaults: n("MAJFLT"),
    minorFaults: n("MINFLT"),
  };
}

/** The balloon as the page shows it. */
export interface BalloonState {
  /** The machine has a balloon (one started from a snapshot made before it existed has none). */
  present: boolean;
  /** What the host asked the guest to give back, in MiB. */
  targetMb: number;
  /** What the guest has given so far, in MiB (it follows the target at its own pace). */
  sizeMb: number;
  /** Undefined when the guest did not answer (driver not loaded yet, guest paused). */
  guest: GuestMemoryStats | undefined;
}
