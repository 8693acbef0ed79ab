import {
  HEADER,
  MAX_VM_SLOTS,
  ROW,
  TICK_MS,
  VM_STATE,
  boardBytes,
  rowWord,
  wakeScheduler,
} from "./cpu-board";
import { DEFAULT_CPU_SETTINGS, type CpuSettings } from "./cpu-policy";

/**
 * The page's CPU scheduler (a hypervisor's, in small): it owns the shared board and the thread
 * that decides (cpu-scheduler.worker.ts), gives each VM a seat on the board, writes the VMs'
 * settings there and reads back what each got. Without cross-origin isolation there is no
 * SharedArrayBuffer: the scheduler is then unavailable and VMs take turns as the operating system
 * decides (docs/vm-runtime.md).
 */

/** How a VM's worker finds its row: sent to it once, before its first boot. */
export interface CpuSeat {
  board: SharedArrayBuffer;
  slot: number;
}

/** What one VM got since the previous reading: fractions of one core, and its state now. */
export interface CpuShare {
  runPct: number;
  readyPct: number;
  state: keyof typeof VM_STATE;
}

export const DEFAULT_QUANTUM_MS = 20;

export interface CpuSchedulerOptions {
  cores: number;
  quantumMs?: number;
  createWorker?: () => Worker;
}

export function schedulerAvailable(): boolean {
  return (
    typeof SharedArrayBuffer === "function" &&
    typeof Atomics === "object" &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
  );
}

export function defaultSchedulerWorker(): Worker {
  return new Worker(new URL("./cpu-scheduler.worker.ts", import.meta.url), {
    type: "module",
    name: "CPU scheduler",
  });
}

const STATE_NAMES = Object.fromEntries(
  Object.entries(VM_STATE).map(([name, value]) => [value, name]),
) as Record<number, keyof typeof VM_STATE>;

export class CpuScheduler {
  private readonly buffer: SharedArrayBuffer;
  private readonly board: Int32Array;
  /** The deciding thread: made with the first seat, ended with the last (no VM, no thread). */
  private worker: Worker | undefined;
  private readonly createWorker: () => Worker;
  private readonly last = new Map<number, { at: number; run: number; ready: number }>();

  constructor(options: CpuSchedulerOptions) {
    this.buffer = new SharedArrayBuffer(boardBytes());
    this.board = new Int32Array(this.buffer);
    Atomics.store(this.board, HEADER.CORES, Math.max(1, Math.round(options.cores)));
    Atomics.store(this.board, HEADER.QUANTUM_MS, options.quantumMs ?? DEFAULT_QUANTUM_MS);
    this.createWorker = options.createWorker ?? defaultSchedulerWorker;
  }

  get cores(): number {
    return Atomics.load(this.board, HEADER.CORES);
  }

  setCores(cores: number): void {
    Atomics.store(this.board, HEADER.CORES, Math.max(1, Math.round(cores)));
    wakeScheduler(this.board);
  }

  /** A seat for a new VM, or undefined when every row is taken (the VM then runs unscheduled). */
  seat(settings: CpuSettings = DEFAULT_CPU_SETTINGS): CpuSeat | undefined {
    for (let slot = 0; slot < MAX_VM_SLOTS; slot++) {
      if (Atomics.load(this.board, rowWord(slot, ROW.IN_USE)) === 1) continue;
      for (const word of [ROW.RUN_TICKS, ROW.READY_TICKS, ROW.STATE])
        Atomics.store(this.board, rowWord(slot, word), 0);
      // A new VM may run until the scheduler has seen it.
      Atomics.store(this.board, rowWord(slot, ROW.GRANT), 1);
      this.writeSettings(slot, settings);
      Atomics.store(this.board, rowWord(slot, ROW.IN_USE), 1);
      this.last.delete(slot);
      this.ensureWorker();
      wakeScheduler(this.board);
      return { board: this.buffer, slot };
    }
    return undefined;
  }

  release(slot: number): void {
    Atomics.store(this.board, rowWord(slot, ROW.IN_USE), 0);
    Atomics.store(this.board, rowWord(slot, ROW.STATE), VM_STATE.off);
    this.last.delete(slot);
    wakeScheduler(this.board);
    if (!this.seatsInUse()) this.stopWorker();
  }

  /** The VM's worker ended (power off, reset, crash): nothing runs in its row until the next. */
  vacate(slot: number): void {
    // The next worker has a clock of its own: its first reading starts afresh.
    this.last.delete(slot);
    Atomics.store(this.board, rowWord(slot, ROW.STATE), VM_STATE.off);
    Atomics.store(this.board, rowWord(slot, ROW.GRANT), 1);
    wakeScheduler(this.board);
  }

  configure(slot: number, settings: CpuSettings): void {
    this.writeSettings(slot, settings);
    wakeScheduler(this.board);
  }

  /**
   * Run and ready time as percent of one core since the previous call for this slot, from the
   * counts the VM's worker read at time `now` (its stats sample): counts and clock are one
   * thread's, however late the sample reaches the page.
   */
  share(slot: number, now: number, ticks: { run: number; ready: number }): CpuShare {
    const { run, ready } = ticks;
    const state = STATE_NAMES[Atomics.load(this.board, rowWord(slot, ROW.STATE))] ?? "off";
    const before = this.last.get(slot);
    this.last.set(slot, { at: now, run, ready });
    if (!before || now <= before.at) return { runPct: 0, readyPct: 0, state };
    const pct = (ticks: number) =>
      Math.min(100, Math.max(0, (ticks * TICK_MS * 100) / (now - before.at)));
    return { runPct: pct(run - before.run), readyPct: pct(ready - before.ready), state };
  }

  destroy(): void {
    this.stopWorker();
  }

  private seatsInUse(): boolean {
    for (let slot = 0; slot < MAX_VM_SLOTS; slot++)
      if (Atomics.load(this.board, rowWord(slot, ROW.IN_USE)) === 1) return true;
    return false;
  }

  private ensureWorker(): void {
    if (this.worker) return;
    this.worker = this.createWorker();
    // A thread that dies would leave refused VMs waiting for good: they then run unscheduled.
    this.worker.onerror = () => this.stopWorker();
    this.worker.postMessage({ board: this.buffer });
  }

  /** Ends the deciding thread; until the next one runs, every gate is open. */
  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
    Atomics.store(this.board, HEADER.RUNNING, 0);
    for (let slot = 0; slot < MAX_VM_SLOTS; slot++) {
      Atomics.store(this.board, rowWord(slot, ROW.GRANT), 1);
      Atomics.notify(this.board, rowWord(slot, ROW.GRANT));
    }
  }

  private writeSettings(slot: number, settings: CpuSettings): void {
    Atomics.store(this.board, rowWord(slot, ROW.SHARES), settings.shares);
    Atomics.store(this.board, rowWord(slot, ROW.LIMIT), settings.limitPct ?? -1);
    Atomics.store(this.board, rowWord(slot, ROW.RESERVATION), settings.reservationPct);
  }
}
