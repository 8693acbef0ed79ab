import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SaveScheduler } from "@/lib/storage/save-scheduler";

/** A scheduler on fake timers whose saves take `saveMs` and can be made to fail. */
function scheduler(opts: { quietMs?: number; maxWaitMs?: number; saveMs?: number } = {}) {
  const started: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failNext = 0;
  const s = new SaveScheduler({
    quietMs: opts.quietMs ?? 500,
    maxWaitMs: opts.maxWaitMs ?? 2000,
    now: () => Date.now(),
    save: async () => {
      started.push(Date.now());
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, opts.saveMs ?? 100));
      inFlight--;
      if (failNext > 0) {
        failNext--;
        throw new Error("refused");
      }
    },
  });
  return {
    s,
    started,
    maxInFlight: () => maxInFlight,
    failNext: (n: number) => (failNext = n),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

describe("disk save scheduler", () => {
  it("saves once the writes go quiet", async () => {
    const { s, started } = scheduler();
    s.wrote();
    await vi.advanceTimersByTimeAsync(300);
    s.wrote();
    expect(s.state).toBe("unsaved");
    await vi.advanceTimersByTimeAsync(499);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([800]);
    expect(s.state).toBe("saving");
    await vi.advanceTimersByTimeAsync(100);
    expect(s.state).toBe("saved");
    expect(s.savedAt).toBe(900);
  });

  it("saves a disk written without pause at least every maxWaitMs (plus one save)", async () => {
    const { s, started } = scheduler({ saveMs: 300 });
    for (let t = 0; t < 10_000; t += 50) {
      s.wrote();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(started[0]).toBe(2000);
    const gaps = started.slice(1).map((t, i) => t - started[i]!);
    // The next deadline counts from the first write after a save began; that save takes 300 ms.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2000 + 300);
    expect(started.length).toBeGreaterThanOrEqual(4);
  });

  it("a flush saves at once, and after the save in flight when there is one", async () => {
    const { s, started, maxInFlight } = scheduler({ quietMs: 5000, maxWaitMs: 5000, saveMs: 200 });
    s.wrote();
    s.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(50);
    s.wrote();
    s.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(150);
    expect(started).toEqual([0, 200]);
    expect(maxInFlight()).toBe(1);
  });

  it("a flush with nothing written still saves (the guest's writes may not be counted yet)", async () => {
    const { s, started } = scheduler();
    s.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
  });

  it("retries a failed save later each time, and a flush tries at once", async () => {
    const { s, started, failNext } = scheduler({ quietMs: 100, maxWaitMs: 1000 });
    failNext(3);
    s.wrote();
    await vi.advanceTimersByTimeAsync(200);
    expect(started).toEqual([100]);
    expect(s.state).toBe("unsaved");
    expect(s.failedSaves).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(started).toEqual([100, 2200]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(started).toEqual([100, 2200]);
    s.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual([100, 2200, 5200]);
    s.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(s.state).toBe("saved");
    expect(s.failedSaves).toBe(0);
  });

  it("starts no save after dispose", async () => {
    const { s, started } = scheduler();
    s.wrote();
    s.dispose();
    s.flush();
    s.wrote();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(started).toEqual([]);
  });

  it("settled() waits for a save in flight and one that a flush made due", async () => {
    const { s, started } = scheduler({ saveMs: 100 });
    s.flush();
    let done = false;
    void s.settled().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(60);
    expect(done).toBe(true);
    expect(started).toEqual([0]);
  });
});
