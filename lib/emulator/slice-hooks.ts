/**
 * What the VM worker adds around v86's slices of guest code (about 1 ms each, run by
 * `yield_callback` once the yield installed for the runner calls back).
 */

interface Slices {
  yield(delayMs: number, tick: number): void;
  yield_callback(tick: number): void;
}

/**
 * A halted guest woken by an interrupt runs at once. v86 asks for its next slice (a yield with no
 * delay) from two places: the end of a slice, and outside any slice, when an interrupt reaches a
 * CPU in HLT (`stop_idling`: a frame put into the network card, a byte on the serial line) or the
 * emulator is started. In the second case this worker is already awake, handling the message
 * that brought the frame or the byte, and the yield's round trip (to the helper thread and back,
 * by default) would add two thread wake-ups, each a wait for a core on a busy host. A wake-up
 * continues from a microtask instead, once that message's handler is done. The end of a slice
 * still takes its real turn, so that messages, timers and pause are handled between slices.
 * Apply it after the yield (and coalesceYields) are installed.
 */
export function wakeAtOnce(runner: Slices): void {
  const slice = runner.yield_callback.bind(runner);
  const turn = runner.yield.bind(runner);
  let inSlice = false;
  runner.yield_callback = (tick) => {
    inSlice = true;
    try {
      slice(tick);
    } finally {
      inSlice = false;
    }
  };
  runner.yield = (delay, tick) => {
    if (inSlice || delay >= 1) return turn(delay, tick);
    queueMicrotask(() => runner.yield_callback(tick));
  };
}

/**
 * Runs `after` once each slice is over (and its next yield asked for). Apply it last, so that a
 * wake-up `after` causes (a frame into the card of a halted guest) is one from outside a slice.
 */
export function afterEachSlice(runner: Slices, after: () => void): void {
  const slice = runner.yield_callback.bind(runner);
  runner.yield_callback = (tick) => {
    try {
      slice(tick);
    } finally {
      after();
    }
  };
}
