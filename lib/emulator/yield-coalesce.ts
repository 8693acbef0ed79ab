/**
 * v86 ends a slice of guest code about every millisecond and hands the event loop a turn (its
 * yield) before the next. In a worker a MessageChannel round trip measured 2-7 us in Chromium
 * and Firefox, under 1% of a slice, but about 70 us in WebKitGTK, 7% (docs/browsers.md). Where
 * a turn is that dear the worker runs several slices back to back (the next one from a
 * microtask, which costs nothing) and takes a real turn only every few milliseconds; input,
 * pause and timers then wait at most that long.
 */

/** A round trip up to this costs at most 2% of a 1 ms slice: a turn after every slice. */
export const CHEAP_TURN_US = 20;
/** The longest run of slices without an event-loop turn. */
export const MAX_TURN_GAP_MS = 4;

/** Milliseconds between event-loop turns for a measured round trip; 0 means every slice. */
export function turnGapMs(roundTripUs: number): number {
  if (!Number.isFinite(roundTripUs) || roundTripUs <= CHEAP_TURN_US) return 0;
  // Keep the turns' share near CHEAP_TURN_US per millisecond, within MAX_TURN_GAP_MS.
  return Math.min(MAX_TURN_GAP_MS, roundTripUs / CHEAP_TURN_US);
}

/** The median MessageChannel round trip in this thread, in microseconds (a few ms to measure). */
export async function measureTurnUs(trips = 15): Promise<number> {
  const channel = new MessageChannel();
  const times: number[] = [];
  try {
    for (let i = 0; i < trips; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
      times.push((performance.now() - t0) * 1000);
    }
  } finally {
    channel.port1.close();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

interface Yielding {
  yield(delayMs: number, tick: number): void;
  yield_callback(tick: number): void;
}

/**
 * Wraps a runner's installed yield: a slice that asks for no delay, within `gapMs` of the last
 * real turn, continues from a microtask instead. A no-op when `gapMs` is 0.
 */
export function coalesceYields(
  runner: Yielding,
  gapMs: number,
  now: () => number = () => performance.now(),
): void {
  if (gapMs <= 0) return;
  const turn = runner.yield.bind(runner);
  let lastTurn = now();
  runner.yield = (delay, tick) => {
    const t = now();
    if (delay < 1 && t - lastTurn < gapMs) {
      queueMicrotask(() => runner.yield_callback(tick));
      return;
    }
    lastTurn = t;
    turn(delay, tick);
  };
}
