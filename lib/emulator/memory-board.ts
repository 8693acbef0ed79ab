import type { BalloonState } from "./balloon-rules";
import { Emitter } from "./emitter";
import { countSharing } from "./page-sharing";
import type { VmMachine } from "./vm-machine";

/**
 * The host's view of every running VM's memory on the page, refreshed once a second while
 * someone watches (a Memory panel is open): each VM's RAM scanned in its own worker, its balloon
 * and the guest's own figures, and the pages identical across VMs counted here from the scans'
 * page keys. Nothing is scanned while nobody watches: a scan costs the guest a few ms of its time.
 */

export const MEMORY_REFRESH_MS = 1000;
const DEMAND_MS = 10_000;

export interface VmMemoryView {
  /** performance.now() of the reading. */
  at: number;
  pages: number;
  /** Pages that are all zeros now (never touched, freed, or given back). */
  zeroPages: number;
  /** Pages in use now (not all zeros). */
  usedPages: number;
  /** Pages the host has provided since the VM started and still holds (memory-scan.ts). */
  heldPages: number;
  /** Held pages that are all zeros: freed in the guest, but the host does not know. */
  heldZeroPages: number;
  /** Used pages identical to a page of another running VM. */
  sharedWithOthers: number;
  /** Used pages identical to another page of the same VM. */
  repeatsWithin: number;
  scanMs: number;
  balloon: BalloonState;
}

export interface MemoryBoardView {
  vms: ReadonlyMap<string, VmMemoryView>;
  /** Used pages of all running VMs, and what merging every identical page would free. */
  usedPages: number;
  mergeablePages: number;
}

const EMPTY: MemoryBoardView = { vms: new Map(), usedPages: 0, mergeablePages: 0 };

export class MemoryBoard {
  private readonly events = new Emitter<{ update: MemoryBoardView }>();
  private view: MemoryBoardView = EMPTY;
  private watchers = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ticking = false;
  private demandEnds: (() => void) | undefined;
  private demandTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly machines: () => readonly VmMachine[]) {}

  get current(): MemoryBoardView {
    return this.view;
  }

  /** Readings start with the first watcher and stop with the last; returns the unsubscribe. */
  watch(listener: (view: MemoryBoardView) => void): () => void {
    const off = this.events.on("update", listener);
    if (++this.watchers === 1) void this.tick();
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      off();
      if (--this.watchers === 0) this.stop();
    };
  }

  /**
   * For a reader that polls (a lab's checks): the board keeps reading for DEMAND_MS after the
   * last call, as if watched; returns the latest view.
   */
  demand(): MemoryBoardView {
    if (this.demandEnds === undefined) this.demandEnds = this.watch(() => {});
    if (this.demandTimer) clearTimeout(this.demandTimer);
    this.demandTimer = setTimeout(() => {
      this.demandEnds?.();
      this.demandEnds = undefined;
    }, DEMAND_MS);
    return this.view;
  }

  /** Reads now instead of at the next second (after the learner changed the balloon). */
  refresh(): void {
    if (this.watchers > 0 && !this.ticking) {
      if (this.timer) clearTimeout(this.timer);
      void this.tick();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.demandTimer) clearTimeout(this.demandTimer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.ticking = true;
    try {
      const running = this.machines().filter((m) => m.state === "running" || m.state === "paused");
      const readings = await Promise.all(
        running.map(async (machine) => {
          try {
            const [scan, balloon] = await Promise.all([machine.scanMemory(), machine.balloon()]);
            return { machine, scan, balloon };
          } catch {
            return undefined; // stopped meanwhile, or busy: see below
          }
        }),
      );
      const read = readings.filter((r) => r !== undefined);
      const sharing = countSharing(
        read.map(({ machine, scan }) => ({ id: machine.id, keys: scan.keys })),
      );
      const vms = new Map<string, VmMemoryView>();
      for (const { machine, scan, balloon } of read) {
        const shared = sharing.byVm.get(machine.id)!;
        vms.set(machine.id, {
          at: performance.now(),
          pages: scan.pages,
          zeroPages: scan.zeroPages,
          usedPages: scan.usedPages,
          heldPages: scan.heldPages,
          heldZeroPages: scan.heldZeroPages,
          scanMs: scan.ms,
          balloon,
          ...shared,
        });
      }
      // A VM whose reading failed this time (stopping, or its worker busy) keeps its last one.
      for (const machine of running)
        if (!vms.has(machine.id) && this.view.vms.has(machine.id))
          vms.set(machine.id, this.view.vms.get(machine.id)!);
      this.view = { vms, usedPages: sharing.usedPages, mergeablePages: sharing.mergeablePages };
      this.events.emit("update", this.view);
    } finally {
      this.ticking = false;
      if (this.watchers > 0) this.timer = setTimeout(() => void this.tick(), MEMORY_REFRESH_MS);
    }
  }
}
