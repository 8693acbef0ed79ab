import { describe, expect, it } from "vitest";
import { validateVmConfig, type VmConfigInput } from "@/lib/emulator/vm-config";

const good: VmConfigInput = {
  name: "web1",
  memoryMb: "128",
  boot: "live",
  disk: "none",
  diskSizeMb: "64",
  network: "none",
};

describe("validateVmConfig", () => {
  it("accepts a good request and trims the name", () => {
    const r = validateVmConfig({ ...good, name: "  web1 " }, []);
    expect(r).toEqual({
      ok: true,
      config: {
        name: "web1",
        memoryMb: 128,
        boot: "live",
        disk: { kind: "none" },
        network: "none",
        nic: "virtio",
      },
    });
  });

  it("gives new VMs a virtio-net card unless NE2000 is chosen, and refuses other cards", () => {
    const ne2k = validateVmConfig({ ...good, nic: "ne2k" }, []);
    expect(ne2k.ok && ne2k.config.nic).toBe("ne2k");
    const bad = validateVmConfig({ ...good, nic: "e1000" }, []);
    expect(!bad.ok && bad.errors.nic).toBe("Choose virtio-net or NE2000 as the network card.");
  });

  it.each([
    ["", "Give the VM a name."],
    ["a b", "Use letters"],
    ["-x", "Use letters"],
    ["x".repeat(25), "at most 24"],
  ])("refuses the name %j", (name, message) => {
    const r = validateVmConfig({ ...good, name }, []);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.name).toContain(message);
  });

  it("refuses a duplicate name whatever its case", () => {
    const r = validateVmConfig({ ...good, name: "WEB1" }, ["web1"]);
    expect(!r.ok && r.errors.name).toContain("already exists");
  });

  it.each(["abc", "12.5", "-5", "", "1e3", "99999999"])(
    "refuses non-numeric or odd memory %j",
    (memoryMb) => {
      const r = validateVmConfig({ ...good, memoryMb }, []);
      expect(!r.ok && r.errors.memoryMb).toMatch(/whole number|between/);
    },
  );

  it("refuses memory out of range, with the profile's floor", () => {
    expect(validateVmConfig({ ...good, memoryMb: "64" }, []).ok).toBe(false);
    expect(validateVmConfig({ ...good, memoryMb: "513" }, []).ok).toBe(false);
    expect(validateVmConfig({ ...good, memoryMb: "16", boot: "baremetal" }, []).ok).toBe(true);
  });

  it("checks the disk size and what each boot medium needs", () => {
    const big = validateVmConfig({ ...good, disk: "blank", diskSizeMb: "4096" }, []);
    expect(!big.ok && big.errors.diskSizeMb).toContain("between 1 and 512");
    const installer = validateVmConfig({ ...good, boot: "installer" }, []);
    expect(!installer.ok && installer.errors.disk).toContain("blank disk");
    const ok = validateVmConfig(
      { ...good, boot: "installer", disk: "blank", diskSizeMb: "64" },
      [],
    );
    expect(ok.ok && ok.config.disk).toEqual({ kind: "blank", sizeMb: 64 });
  });

  it("refuses unknown choices", () => {
    const r = validateVmConfig({ ...good, boot: "floppy", network: "wifi", disk: "ssd" }, []);
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual(["boot", "disk", "network"]);
  });
});
