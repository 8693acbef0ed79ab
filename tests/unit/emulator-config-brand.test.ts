import { describe, expect, it } from "vitest";
import { validateVmConfig, type VmConfig } from "@/lib/emulator/vm-config";

// These lines are checked by the compiler (npm run typecheck): each must be refused.
describe("VmConfig", () => {
  it("is made by the checks only: the compiler refuses a config that skipped them", () => {
    const fields = {
      name: "web1",
      memoryMb: 128,
      boot: "live",
      disk: { kind: "none" },
      network: "none",
      nic: "virtio",
    } as const;
    // @ts-expect-error a plain object with the right fields is not a checked config
    const unchecked: VmConfig = fields;
    // @ts-expect-error nor is one with a spread of them
    const spread: VmConfig = { ...fields, memoryMb: 4096 };
    const checked = validateVmConfig(
      { ...fields, memoryMb: "128", disk: "none", diskSizeMb: "" },
      [],
    );
    // The checks give back the same fields, now as a VmConfig.
    expect(checked.ok && checked.config).toEqual(fields);
    void [unchecked, spread];
  });
});
