import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { counterDelta, MipsMeter } from "@/lib/emulator/mips-meter";
import { TextWatch } from "@/lib/emulator/serial-watch";

const U32 = 2 ** 32;

describe("instruction counter", () => {
  it("corrects for the 32-bit wrap", () => {
    expect(counterDelta(100, 300)).toBe(200);
    expect(counterDelta(U32 - 100, 50)).toBe(150);
    expect(counterDelta(5, 5)).toBe(0);
  });

  it("gives the true delta for any start and any step below 2^32", () => {
    fc.assert(
      fc.property(fc.nat({ max: U32 - 1 }), fc.nat({ max: U32 - 1 }), (start, step) => {
        expect(counterDelta(start, (start + step) % U32)).toBe(step);
      }),
    );
  });
});

describe("MipsMeter", () => {
  it("reports MIPS now and on average across a wrap", () => {
    const m = new MipsMeter();
    m.sample(0, U32 - 100_000_000);
    const a = m.sample(1000, 200_000_000); // 300 M instructions in 1 s, wrapped
    expect(a.now).toBeCloseTo(300);
    const b = m.sample(2000, 300_000_000);
    expect(b.now).toBeCloseTo(100);
    expect(b.average).toBeCloseTo(200);
  });

  it("leaves paused time out of the average", () => {
    const m = new MipsMeter();
    m.sample(0, 0);
    m.sample(1000, 200_000_000);
    const paused = m.sample(11_000, 200_000_000, false);
    expect(paused.now).toBe(0);
    const r = m.sample(12_000, 400_000_000);
    expect(r.average).toBeCloseTo(200);
  });
});

describe("TextWatch", () => {
  it("finds text split across chunks, once per occurrence", () => {
    let hits = 0;
    const w = new TextWatch("Kernel panic", () => hits++);
    for (const chunk of ["[ 1.0] Ker", "nel pa", "nic - not syncing"]) w.push(chunk);
    expect(hits).toBe(1);
    w.push("nothing here");
    expect(hits).toBe(1);
  });
});
