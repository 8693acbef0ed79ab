import { HEADER, ROW, VM_STATE, msToTicks, rowWord, wakeScheduler } from "./cpu-board";

/**
 * A VM worker's side of the CPU scheduler: between two of v86's 1 ms slices it records what the
 * slice was (guest work or idle), and before the next one it waits, without spinning, until the
 * scheduler gives it a core. While it waits its time counts as "ready": it had work and no core.
 */

/** Longest single wait at the gate: the worker then goes through its event loop (pause, input). */
export const MAX_GATE_WAIT_MS = 20;

export class CpuGate {
  private readonly grant: number;
  private readonly state: number;
  private sliceStartedAt: number | undefined;

  constructor(
    private readonly board: Int32Array,
    private readonly slot: number,
  ) {
    this.grant = rowWord(slot, ROW.GRANT);
    this.state = rowWord(slot, ROW.STATE);
  }

  /** A slice of guest code ended (v86 yields): its time counts as run time. */
  sliceEnded(): void {
    if (this.sliceStartedAt === undefined) return;
    const ran = performance.now() - this.sliceStartedAt;
    this.sliceStartedAt = undefined;
    Atomics.add(this.board, rowWord(this.slot, ROW.RUN_TICKS), msToTicks(ran));
  }

  /** Run and ready time so far, in board ticks (read with the stats sample, on one clock). */
  ticks(): { run: number; ready: number } {
    return {
      run: Atomics.load(this.board, rowWord(this.slot, ROW.RUN_TICKS)),
      ready: Atomics.load(this.board, rowWord(this.slot, ROW.READY_TICKS)),
    };
  }

  /** The guest halted until an interrupt: it needs no core meanwhile. */
  idle(): void {
    Atomics.store(this.board, this.state, VM_STATE.idle);
  }

  /** The emulator stopped (pause, power off): out of the scheduler's way. */
  off(): void {
    this.sliceEnded();
    Atomics.store(this.board, this.state, VM_STATE.off);
    wakeScheduler(this.board);
  }

  /**
   * Before a slice: true when the VM may run it (and the slice starts), false after waiting up to
   * `MAX_GATE_WAIT_MS` without a core (the caller comes back through its event loop).
   */
  takeTurn(): boolean {
    const board = this.board;
    if (Atomics.load(board, HEADER.RUNNING) === 0 || Atomics.load(board, this.grant) === 1) {
      Atomics.store(board, this.state, VM_STATE.running);
      this.sliceStartedAt = performance.now();
      return true;
    }
    if (Atomics.exchange(board, this.state, VM_STATE.ready) !== VM_STATE.ready)
      wakeScheduler(board);
    const waitFrom = performance.now();
    Atomics.wait(board, this.grant, 0, MAX_GATE_WAIT_MS);
    const waited = performance.now() - waitFrom;
    Atomics.add(board, rowWord(this.slot, ROW.READY_TICKS), msToTicks(waited));
    if (Atomics.load(board, this.grant) !== 1) return false;
    Atomics.store(board, this.state, VM_STATE.running);
    this.sliceStartedAt = performance.now();
    return true;
  }
}
