import { describe, expect, it } from "vitest";
import {
  CHEAP_TURN_US,
  coalesceYields,
  MAX_TURN_GAP_MS,
  measureTurnUs,
  turnGapMs,
} from "../../lib/emulator/yield-coalesce";

describe("turnGapMs", () => {
  it("keeps a turn every slice where a turn is cheap", () => {
    expect(turnGapMs(7)).toBe(0);
    expect(turnGapMs(CHEAP_TURN_US)).toBe(0);
    expect(turnGapMs(Number.NaN)).toBe(0);
  });
  it("spaces turns by their cost, up to the longest gap", () => {
    expect(turnGapMs(CHEAP_TURN_US * 2)).toBe(2);
    expect(turnGapMs(72)).toBeCloseTo(3.6);
    expect(turnGapMs(280)).toBe(MAX_TURN_GAP_MS);
    expect(turnGapMs(50_000)).toBe(MAX_TURN_GAP_MS);
  });
});

function fakeRunner() {
  const turns: Array<[number, number]> = [];
  const callbacks: number[] = [];
  const runner = {
    yield: (delay: number, tick: number) => void turns.push([delay, tick]),
    yield_callback: (tick: number) => void callbacks.push(tick),
  };
  return { runner, turns, callbacks };
}

describe("coalesceYields", () => {
  it("continues slices from microtasks within the gap, then takes a real turn", async () => {
    let clock = 0;
    const { runner, turns, callbacks } = fakeRunner();
    coalesceYields(runner, 4, () => clock);
    clock = 1;
    runner.yield(0, 1);
    clock = 3;
    runner.yield(0, 2);
    await Promise.resolve();
    expect(callbacks).toEqual([1, 2]);
    expect(turns).toEqual([]);
    clock = 4;
    runner.yield(0, 3);
    expect(turns).toEqual([[0, 3]]);
    clock = 5;
    runner.yield(0, 4);
    await Promise.resolve();
    expect(callbacks).toEqual([1, 2, 4]);
  });
  it("never coalesces an idle wait: the guest asked to sleep", () => {
    let clock = 0;
    const { runner, turns } = fakeRunner();
    coalesceYields(runner, 4, () => clock);
    clock = 1;
    runner.yield(2, 7);
    expect(turns).toEqual([[2, 7]]);
  });
  it("leaves the runner alone with no gap", () => {
    const { runner } = fakeRunner();
    const original = runner.yield;
    coalesceYields(runner, 0);
    expect(runner.yield).toBe(original);
  });
});

describe("measureTurnUs", () => {
  it("measures a real MessageChannel round trip", async () => {
    const us = await measureTurnUs(5);
    expect(us).toBeGreaterThan(0);
    expect(us).toBeLessThan(1_000_000);
  });
});
