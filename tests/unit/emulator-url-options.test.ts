import { describe, expect, it } from "vitest";
import { cpuCoresFromSearch, yieldModeFromSearch } from "@/lib/emulator/url-options";

describe("yieldModeFromSearch", () => {
  it("takes a mode the runtime has", () => {
    expect(yieldModeFromSearch("?yield=message-channel")).toBe("message-channel");
    expect(yieldModeFromSearch("?a=1&yield=timeout")).toBe("timeout");
  });
  it("ignores a missing, empty, repeated-first-wins or unknown mode", () => {
    expect(yieldModeFromSearch("")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=fast")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=__proto__")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=scheduler&yield=fast")).toBe("scheduler");
  });
});

describe("cpuCoresFromSearch", () => {
  it("reads off or a number of cores for VMs, and ignores anything else", () => {
    expect(cpuCoresFromSearch("?cpu=off")).toBe(false);
    expect(cpuCoresFromSearch("?cpu=3")).toBe(3);
    expect(cpuCoresFromSearch("?cpu=0")).toBeUndefined();
    expect(cpuCoresFromSearch("?cpu=9")).toBeUndefined();
    expect(cpuCoresFromSearch("?cpu=1.5")).toBeUndefined();
    expect(cpuCoresFromSearch("?cpu=lots")).toBeUndefined();
    expect(cpuCoresFromSearch("")).toBeUndefined();
  });
});
