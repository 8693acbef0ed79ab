import { describe, expect, it } from "vitest";
import { afterEachSlice, wakeAtOnce } from "../../lib/emulator/slice-hooks";

/**
 * A runner shaped as v86's: yield_callback(tick) runs a slice when the tick is current, and the
 * slice ends by asking for the next one (next_tick: a yield with a fresh tick). `interrupt()`
 * is what v86's stop_idling does for a halted CPU: ask for a slice at once, from outside one.
 */
function v86Like(sliceDelay = 0) {
  const turns: Array<[delay: number, tick: number]> = [];
  const slices: number[] = [];
  const runner = {
    tick_counter: 0,
    halted: false,
    yield(delay: number, tick: number) {
      turns.push([delay, tick]);
    },
    yield_callback(tick: number) {
      if (tick !== this.tick_counter) return;
      slices.push(tick);
      this.next_tick(sliceDelay);
    },
    next_tick(delay: number) {
      this.yield(delay, ++this.tick_counter);
    },
    interrupt() {
      if (this.halted) this.next_tick(0);
    },
  };
  return { runner, turns, slices };
}

describe("wakeAtOnce", () => {
  it("runs a halted guest's wake-up from a microtask, not through the yield's round trip", async () => {
    const { runner, turns, slices } = v86Like(5);
    wakeAtOnce(runner);
    runner.next_tick(5);
    expect(turns).toEqual([[5, 1]]);
    runner.halted = true;
    runner.interrupt();
    expect(turns).toHaveLength(1);
    await Promise.resolve();
    expect(slices).toEqual([2]);
    // The slice's end asked for its idle wait the usual way; the stale tick 1 runs nothing.
    expect(turns).toEqual([
      [5, 1],
      [5, 3],
    ]);
    runner.yield_callback(1);
    expect(slices).toEqual([2]);
  });

  it("keeps a real turn at the end of every slice", async () => {
    const { runner, turns, slices } = v86Like(0);
    wakeAtOnce(runner);
    // Started (v86's run() asks for a slice at once): the first slice, then turns.
    runner.next_tick(0);
    await Promise.resolve();
    expect(slices).toEqual([1]);
    runner.yield_callback(2);
    expect(slices).toEqual([1, 2]);
    expect(turns).toEqual([
      [0, 2],
      [0, 3],
    ]);
  });

  it("leaves an idle wait asked from outside a slice to the yield", () => {
    const { runner, turns } = v86Like();
    wakeAtOnce(runner);
    runner.yield(3, 9);
    expect(turns).toEqual([[3, 9]]);
  });
});

describe("afterEachSlice", () => {
  it("runs after every slice, and a wake-up it causes continues at once", async () => {
    const { runner, turns, slices } = v86Like(10);
    wakeAtOnce(runner);
    let frames = 0;
    afterEachSlice(runner, () => {
      // A frame into the card of a guest that halted in the slice: its interrupt wakes it.
      if (frames-- > 0) runner.interrupt();
    });
    runner.halted = true;
    frames = 1;
    runner.next_tick(10);
    runner.yield_callback(1);
    expect(slices).toEqual([1]);
    expect(turns).toEqual([
      [10, 1],
      [10, 2],
    ]);
    await Promise.resolve();
    expect(slices).toEqual([1, 3]);
  });

  it("runs even when the slice throws, and the error still reaches the caller", () => {
    const runs: string[] = [];
    const runner = {
      yield: () => {},
      yield_callback: (_tick: number) => {
        throw new Error("guest crashed");
      },
    };
    afterEachSlice(runner, () => runs.push("after"));
    expect(() => runner.yield_callback(1)).toThrow("guest crashed");
    expect(runs).toEqual(["after"]);
  });
});
