import { describe, expect, it } from "vitest";
import { guestCommand, parseVbenchOutput } from "@/lib/overhead/vbench-output";

describe("parseVbenchOutput", () => {
  it("reads result lines and their times", () => {
    const out =
      "vbench size_kib=1024 rounds=20 checksum=db6bff1e\ntime_us=713012\nvbench size_kib=1024 rounds=20 checksum=db6bff1e\ntime_us=650000\n";
    const parsed = parseVbenchOutput(out);
    expect(parsed).toEqual({
      ok: true,
      runs: [
        { sizeKib: 1024, rounds: 20, checksum: "db6bff1e", timeMs: 713.012 },
        { sizeKib: 1024, rounds: 20, checksum: "db6bff1e", timeMs: 650 },
      ],
    });
  });
  it("notes a guest without a clock", () => {
    const parsed = parseVbenchOutput(
      "vbench size_kib=1 rounds=1 checksum=0000abcd\ntime_us=unavailable\n",
    );
    expect(parsed).toEqual({
      ok: true,
      runs: [{ sizeKib: 1, rounds: 1, checksum: "0000abcd", timeMs: undefined, noClock: true }],
    });
  });
  it("accepts a run without a time (no -t)", () => {
    const parsed = parseVbenchOutput("vbench size_kib=1 rounds=1 checksum=0000abcd\r\n");
    expect(parsed.ok && parsed.runs[0]!.timeMs).toBeUndefined();
  });
  it("refuses anything else: usage, shell errors, nothing at all, a stray time", () => {
    expect(parseVbenchOutput("usage: vbench [-t] SIZE_KIB [ROUNDS]\n").ok).toBe(false);
    expect(parseVbenchOutput("sh: /usr/bin/vbench: not found\n").ok).toBe(false);
    expect(parseVbenchOutput("").ok).toBe(false);
    expect(parseVbenchOutput("time_us=5\n").ok).toBe(false);
    expect(
      parseVbenchOutput("vbench size_kib=1 rounds=1 checksum=0000abcd\ntime_us=1\ntime_us=2\n").ok,
    ).toBe(false);
  });
});

describe("guestCommand", () => {
  it("runs the binary the asked number of times, stopping at a failure", () => {
    expect(guestCommand("/usr/bin/vbench", 256, 20, 3)).toBe(
      "for i in 1 2 3; do /usr/bin/vbench -t 256 20 || exit $?; done",
    );
  });
  it("refuses a path that would be shell syntax", () => {
    expect(() => guestCommand("/usr/bin/vbench; reboot", 1, 1, 1)).toThrow();
    expect(() => guestCommand("vbench", 1, 1, 1)).toThrow();
  });
});
