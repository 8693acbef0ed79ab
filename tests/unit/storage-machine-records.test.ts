import { describe, expect, it } from "vitest";
import { checkVmRecord } from "@/lib/storage/machine-records";

const config = {
  name: "web1",
  memoryMb: 128,
  boot: "installer",
  disk: { kind: "blank", sizeMb: 64 },
  network: "switch",
};
const record = {
  schema: 3,
  id: "vm1-abc",
  config,
  mac: "02:76:6c:00:00:01",
  address: "10.0.0.2",
  createdAt: 1_700_000_000_000,
  diskInstalled: false,
};
const withConfig = (changes: Record<string, unknown>) => ({
  ...record,
  config: { ...config, ...changes },
});

describe("checkVmRecord", () => {
  it("accepts a record as the page stores it, with its config unchanged", () => {
    const stored = withConfig({ nic: "virtio" });
    const checked = checkVmRecord(structuredClone(stored));
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.value.config).toEqual(stored.config);
  });

  it("gives a VM stored before the network card was a choice the NE2000 it had", () => {
    const checked = checkVmRecord(structuredClone(record));
    expect(checked.ok && checked.value.config).toEqual({ ...config, nic: "ne2k" });
  });

  // Each of these became a valid form input through String(), so the record was kept, with a
  // config whose fields are not what a VmConfig holds (text for numbers, lists, a lost name).
  const damaged: [string, Record<string, unknown>, string][] = [
    ["memory as text", { memoryMb: "128" }, "memoryMb"],
    ["memory in a list", { memoryMb: [128] }, "memoryMb"],
    ["no name at all", { name: undefined }, "name"],
    ["a null name", { name: null }, "name"],
    ["the name in a list", { name: ["web1"] }, "name"],
    ["the name with spaces around it", { name: " web1 " }, "name"],
    ["the boot medium in a list", { boot: ["installer"] }, "boot"],
    ["the network in a list", { network: ["switch"] }, "network"],
    ["the disk size as text", { disk: { kind: "blank", sizeMb: "64" } }, "disk"],
    ["the disk kind in a list", { disk: { kind: ["blank"], sizeMb: 64 } }, "disk"],
  ];
  for (const [what, changes, field] of damaged)
    it(`quarantines a config with ${what}, naming the field`, () => {
      const checked = checkVmRecord(withConfig(changes));
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.reason).toContain(field);
    });
});
