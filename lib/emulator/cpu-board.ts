/**
 * The CPU scheduler's shared board: one SharedArrayBuffer that the page, the scheduler thread and
 * every VM worker see. A VM worker reads whether it may run and writes what it did (ran, waited
 * for a core, idle) without a message; the scheduler thread reads those and writes the grants.
 * Only a cross-origin isolated page has SharedArrayBuffer (docs/hosting.md).
 *
 * Layout (Int32 words): a header, then one row per VM slot.
 *   header: WAKE (bumped + notified to wake the scheduler), CORES, QUANTUM_MS, RUNNING (1 while
 *           the scheduler runs).
 *   row:    GRANT (1 may run), STATE (what the guest is doing), SHARES, LIMIT (% or -1),
 *           RESERVATION (%), RUN_TICKS, READY_TICKS (cumulative, in 0.1 ms ticks), IN_USE.
 * Times are whole ticks so that one Atomics.add records them; 2^31 ticks is 59 hours.
 */

export const MAX_VM_SLOTS = 32;
export const TICK_MS = 0.1;

export const HEADER = { WAKE: 0, CORES: 1, QUANTUM_MS: 2, RUNNING: 3 } as const;
const HEADER_WORDS = 8;

export const ROW = {
  GRANT: 0,
  STATE: 1,
  SHARES: 2,
  LIMIT: 3,
  RESERVATION: 4,
  RUN_TICKS: 5,
  READY_TICKS: 6,
  IN_USE: 7,
} as const;
const ROW_WORDS = 8;

/** What a VM's guest is doing, as its worker last said. */
export const VM_STATE = {
  /** Not running (no guest, paused, powered off). */
  off: 0,
  /** Halted, waiting for an interrupt: needs no core. */
  idle: 1,
  /** Running guest code. */
  running: 2,
  /** Has work but waits for a core. */
  ready: 3,
} as const;

export function boardBytes(): number {
  return (HEADER_WORDS + MAX_VM_SLOTS * ROW_WORDS) * 4;
}

/** Index of a word in a slot's row. */
export function rowWord(slot: number, word: number): number {
  return HEADER_WORDS + slot * ROW_WORDS + word;
}

/** Wakes the scheduler thread (a VM woke up, settings changed, a VM came or went). */
export function wakeScheduler(board: Int32Array): void {
  Atomics.add(board, HEADER.WAKE, 1);
  Atomics.notify(board, HEADER.WAKE);
}

export function msToTicks(ms: number): number {
  return Math.max(0, Math.round(ms / TICK_MS));
}
