/// <reference lib="webworker" />
import { HEADER, ROW, VM_STATE, MAX_VM_SLOTS, TICK_MS, rowWord } from "./cpu-board";
import { CpuPolicy, type CpuSettings } from "./cpu-policy";

/**
 * The CPU scheduler's thread: it sleeps on the shared board (cpu-board.ts) and, once a quantum
 * or when a VM wakes up, reads what each VM ran, asks the policy (cpu-policy.ts) who runs next
 * and writes the grants. It never waits for the page's main thread, which may be busy drawing,
 * and costs a few dozen wake-ups a second. The page sends the board once; everything after that
 * (settings, VMs coming and going) is read from the board.
 *
 * Each pass is a task of its own: a thread that never returned to its event loop would never
 * answer the browser's developer tools (a heap reading hung on it) nor end cleanly.
 */
const workerScope = self as unknown as DedicatedWorkerGlobalScope;

workerScope.onmessage = (event: MessageEvent<{ board: SharedArrayBuffer }>) => {
  run(new Int32Array(event.data.board));
};

function settingsOf(board: Int32Array, slot: number): CpuSettings {
  const limit = Atomics.load(board, rowWord(slot, ROW.LIMIT));
  return {
    shares: Math.max(1, Atomics.load(board, rowWord(slot, ROW.SHARES))),
    limitPct: limit < 0 ? null : limit,
    reservationPct: Atomics.load(board, rowWord(slot, ROW.RESERVATION)),
  };
}

function run(board: Int32Array): void {
  const quantumMs = Math.max(1, Atomics.load(board, HEADER.QUANTUM_MS));
  const policy = new CpuPolicy(Math.max(1, Atomics.load(board, HEADER.CORES)), quantumMs);
  const lastRunTicks = new Int32Array(MAX_VM_SLOTS);
  let last = performance.now();
  let lastFull = last;
  let seen = Atomics.load(board, HEADER.WAKE);
  Atomics.store(board, HEADER.RUNNING, 1);
  const nextPass = new MessageChannel();
  nextPass.port1.onmessage = () => {
    pass();
    nextPass.port2.postMessage(null);
  };
  nextPass.port2.postMessage(null);

  function pass(): void {
    Atomics.wait(board, HEADER.WAKE, seen, quantumMs);
    seen = Atomics.load(board, HEADER.WAKE);
    const now = performance.now();
    policy.setCores(Math.max(1, Atomics.load(board, HEADER.CORES)));
    const ran = new Map<number, number>();
    for (let slot = 0; slot < MAX_VM_SLOTS; slot++) {
      const inUse = Atomics.load(board, rowWord(slot, ROW.IN_USE)) === 1;
      if (!inUse) {
        if (policy.has(slot)) policy.remove(slot);
        continue;
      }
      const runTicks = Atomics.load(board, rowWord(slot, ROW.RUN_TICKS));
      if (!policy.has(slot)) {
        policy.add(slot, settingsOf(board, slot));
        lastRunTicks[slot] = runTicks;
      }
      policy.update(slot, settingsOf(board, slot));
      // Never negative: a seat given up and taken again between two passes starts from 0.
      ran.set(slot, Math.max(0, runTicks - lastRunTicks[slot]!) * TICK_MS);
      lastRunTicks[slot] = runTicks;
      const state = Atomics.load(board, rowWord(slot, ROW.STATE));
      policy.setRunnable(slot, state === VM_STATE.running || state === VM_STATE.ready);
    }
    policy.account(now - last, ran);
    last = now;
    // A full decision once a quantum; a VM waking in between only gets a core that is free.
    const full = now - lastFull >= quantumMs * 0.9;
    if (full) lastFull = now;
    grant(board, policy.decide(), full, policy.coreCount);
  }
}

function grant(board: Int32Array, next: Set<number>, full: boolean, cores: number): void {
  let busyGranted = 0;
  for (let slot = 0; slot < MAX_VM_SLOTS; slot++) {
    const state = Atomics.load(board, rowWord(slot, ROW.STATE));
    if (Atomics.load(board, rowWord(slot, ROW.GRANT)) === 1 && state === VM_STATE.running)
      busyGranted++;
  }
  for (let slot = 0; slot < MAX_VM_SLOTS; slot++) {
    const word = rowWord(slot, ROW.GRANT);
    const had = Atomics.load(board, word) === 1;
    const wants = next.has(slot);
    if (had === wants) continue;
    if (!wants) {
      if (full) Atomics.store(board, word, 0);
      continue;
    }
    if (!full && busyGranted >= cores) continue;
    Atomics.store(board, word, 1);
    Atomics.notify(board, word);
    busyGranted++;
  }
}
