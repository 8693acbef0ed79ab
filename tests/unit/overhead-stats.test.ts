import { describe, expect, it } from "vitest";
import {
  compareChecksums,
  formatChecksum,
  mean,
  median,
  round,
  slowdown,
} from "@/lib/overhead/stats";
import { findSize, validParams } from "@/lib/overhead/presets";

describe("median", () => {
  it("takes the middle value of an odd count, in any order", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([10])).toBe(10);
  });
  it("averages the middle two of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it("ignores non-finite values and refuses an empty list", () => {
    expect(median([Number.NaN, 7, Number.POSITIVE_INFINITY, 9, 8])).toBe(8);
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([Number.NaN])).toThrow(RangeError);
  });
  it("is not thrown off by one slow outlier (why the panel reports medians)", () => {
    expect(median([100, 102, 101, 900])).toBe(101.5);
    expect(mean([100, 102, 101, 900])).toBeGreaterThan(300);
  });
});

describe("slowdown", () => {
  it("is guest time over host time", () => {
    expect(slowdown(600, 150)).toBe(4);
    expect(slowdown(150, 600)).toBe(0.25);
  });
  it("is undefined when a time is zero, negative or not a number", () => {
    expect(slowdown(600, 0)).toBeUndefined();
    expect(slowdown(0, 10)).toBeUndefined();
    expect(slowdown(-1, 10)).toBeUndefined();
    expect(slowdown(Number.NaN, 10)).toBeUndefined();
    expect(slowdown(10, Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe("checksums", () => {
  it("formats unsigned 32-bit values as 8 hex digits", () => {
    expect(formatChecksum(0xdb6bff1e | 0)).toBe("db6bff1e");
    expect(formatChecksum(0x1f)).toBe("0000001f");
  });
  it("match when every guest run printed the host's checksum (case and spaces aside)", () => {
    expect(compareChecksums("db6bff1e", ["db6bff1e", " DB6BFF1E "])).toEqual({
      ok: true,
      checksum: "db6bff1e",
    });
  });
  it("do not match when any guest run differs, and say which", () => {
    const c = compareChecksums("db6bff1e", ["db6bff1e", "2aed63a5"]);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.reason).toContain("2aed63a5");
  });
  it("do not match without a guest checksum or with a malformed host one", () => {
    expect(compareChecksums("db6bff1e", []).ok).toBe(false);
    expect(compareChecksums("xyz", ["xyz"]).ok).toBe(false);
  });
});

describe("parameters", () => {
  it("accepts the presets and refuses what vbench.c would refuse", () => {
    for (const id of ["small", "medium", "large"]) {
      const s = findSize(id)!;
      expect(validParams(s.sizeKib, s.rounds)).toBe(true);
    }
    expect(validParams(0, 1)).toBe(false);
    expect(validParams(4097, 1)).toBe(false);
    expect(validParams(64, 0)).toBe(false);
    expect(validParams(64, 100_001)).toBe(false);
    expect(validParams(1.5, 1)).toBe(false);
  });
  it("rounds for display", () => {
    expect(round(3.14159, 2)).toBe(3.14);
    expect(round(2.25)).toBe(2.3);
  });
});
