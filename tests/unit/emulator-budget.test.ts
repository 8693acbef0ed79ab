import { describe, expect, it } from "vitest";
import {
  BUDGET_CAP_MB,
  checkBudget,
  EMULATOR_OVERHEAD_MB,
  pageBudgetMb,
  vmCostMb,
} from "@/lib/emulator/memory-budget";

describe("memory budget", () => {
  it("is a quarter of the device memory, floored and capped", () => {
    expect(pageBudgetMb(2)).toBe(512);
    expect(pageBudgetMb(0.5)).toBe(256);
    expect(pageBudgetMb(32)).toBe(BUDGET_CAP_MB);
    expect(pageBudgetMb(undefined)).toBe(1024);
    expect(pageBudgetMb(Number.NaN)).toBe(1024);
  });

  it("counts guest memory, disk and emulator overhead", () => {
    expect(vmCostMb(128, 64)).toBe(128 + 64 + EMULATOR_OVERHEAD_MB);
  });

  it("fits four 128 MB VMs in 1024 MB and refuses what does not fit, saying why", () => {
    let used = 0;
    for (let i = 0; i < 4; i++) {
      expect(checkBudget({ name: `v${i}`, memoryMb: 128, diskMb: 0 }, used, 1024).ok).toBe(true);
      used += vmCostMb(128, 0);
    }
    const r = checkBudget({ name: "big", memoryMb: 512, diskMb: 0 }, used, 1024);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain(`"big" needs ${512 + EMULATOR_OVERHEAD_MB} MB`);
      expect(r.reason).toContain(`${1024 - used} MB of the page's 1024 MB`);
      expect(r.reason).toMatch(/Lower its memory|delete a VM/);
    }
  });
});
