import { describe, expect, it } from "vitest";
import { planBoot, SHELL_PROMPT_END } from "@/lib/emulator/boot-plan";
import type { Manifest } from "@/lib/emulator/manifest";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { machineFor } from "@/lib/emulator/v86-options";
import type { VmConfig } from "@/lib/emulator/vm-config";
import { validConfig } from "./valid-config";

const machine = machineFor(128);
const manifest = {
  v86_version: "0.5.462",
  profiles: {
    live: {
      memory_mb: 128,
      cmdline: "console=ttyS0 hostname=live",
      snapshot: { file: "s.zst", raw_bytes: 1, v86_version: "0.5.462", machine, prompt: "# " },
      more_snapshots: [
        {
          file: "v.zst",
          raw_bytes: 1,
          v86_version: "0.5.462",
          machine: machineFor(128, "virtio"),
          prompt: "# ",
        },
      ],
      ready_text: "login prompt",
      agent: true,
    },
    installer: { memory_mb: 128, ready_text: "Install to", agent: false },
    disk: { memory_mb: 128, ready_text: "installed# ", agent: true },
  },
} as unknown as Manifest;

const live: VmConfig = validConfig({
  name: "web1",
  memoryMb: 128,
  boot: "live",
  disk: { kind: "none" },
  network: "switch",
  nic: "ne2k",
});

function learnerSnapshot(over: Partial<VmSnapshot> = {}): VmSnapshot {
  return {
    id: "s",
    name: "snap-1",
    vmName: "node1",
    profile: "live",
    createdAt: 1,
    rawBytes: 1,
    format: "gzip",
    data: new ArrayBuffer(1),
    v86Version: "0.5.462",
    machine,
    prompt: "# ",
    takeMs: 1,
    ...over,
  };
}

describe("planBoot", () => {
  it("starts each network card from the boot snapshot made on it", () => {
    const virtio = validConfig({ ...live, nic: "virtio" });
    const plan = planBoot(virtio, "web1", manifest, {});
    expect(plan.fromSnapshot).toBe(true);
    expect(plan.bootSnapshot?.file).toBe("v.zst");
    expect(planBoot(live, "web1", manifest, {}).bootSnapshot?.file).toBe("s.zst");
  });

  it("boots a card cold when the profile has no boot snapshot made on it", () => {
    const only = {
      ...manifest,
      profiles: { ...manifest.profiles, live: { ...manifest.profiles.live, more_snapshots: [] } },
    } as unknown as Manifest;
    const plan = planBoot(validConfig({ ...live, nic: "virtio" }), "web1", only, {});
    expect(plan.fromSnapshot).toBe(false);
    expect(plan.note).toContain("made with a ne2k network card, not virtio");
  });

  it("starts a diskless live VM from the boot snapshot and renames it before its first prompt", () => {
    const plan = planBoot(live, "web1", manifest, {});
    expect(plan).toMatchObject({
      fromSnapshot: true,
      note: "Started from the boot snapshot.",
      renameBeforePrompt: true,
      nudgeAfterRestore: false,
      readyText: SHELL_PROMPT_END,
      extraCmdline: "hostname=web1",
      bootOrder: undefined,
    });
  });

  it("boots cold when asked, when the VM has a disk, or when its memory differs from the snapshot's", () => {
    expect(planBoot(live, "web1", manifest, { cold: true })).toMatchObject({
      fromSnapshot: false,
      note: "Cold boot (asked for).",
      readyText: SHELL_PROMPT_END,
    });
    const withDisk = validConfig({ ...live, disk: { kind: "blank", sizeMb: 8 } });
    expect(planBoot(withDisk, "web1", manifest, {}).note).toMatch(/made without a disk/);
    const bigger = planBoot({ ...live, memoryMb: 256 }, "web1", manifest, {});
    expect(bigger.fromSnapshot).toBe(false);
    expect(bigger.note).toMatch(/^Cold boot: /);
  });

  it("starts from a learner's snapshot: ready at once, renamed once it runs", () => {
    const plan = planBoot(live, "web1-clone-1", manifest, { state: learnerSnapshot() });
    expect(plan).toMatchObject({
      fromSnapshot: true,
      note: "Started from node1's snapshot snap-1.",
      readyText: "",
      renameBeforePrompt: false,
      renameAfterRestore: true,
    });
  });

  it("refuses a learner's snapshot from another emulator build", () => {
    expect(() =>
      planBoot(live, "web1", manifest, { state: learnerSnapshot({ v86Version: "0.4.0" }) }),
    ).toThrow(/0\.4\.0/);
  });

  it("boots an installed disk from the disk first and waits for the installed system's prompt", () => {
    const installer = validConfig({
      ...live,
      boot: "installer",
      disk: { kind: "blank", sizeMb: 64 },
    });
    expect(planBoot(installer, "inst", manifest, { fromDisk: true })).toMatchObject({
      fromSnapshot: false,
      note: "Cold boot from its own disk.",
      readyText: "installed# ",
      bootOrder: 0x132,
      extraCmdline: undefined,
    });
    expect(planBoot(installer, "inst", manifest, {}).readyText).toBe("Install to");
  });
});
