import { describe, expect, it } from "vitest";
import { parseManifest, profileDownloadBytes, type Manifest } from "@/lib/emulator/manifest";
import { checkSnapshotCompat } from "@/lib/emulator/snapshot-compat";
import { buildV86Options, machineFor, machineOf } from "@/lib/emulator/v86-options";

const digest = "0".repeat(64);
function sample(): Manifest {
  const machine = machineFor(128);
  return {
    format: 1,
    generated_by: "test",
    recipe_hash: "abc",
    packages: { seabios: "1.16.2-1" },
    v86_version: "0.5.462",
    files: {
      "bios.bin": { bytes: 100, sha256: digest },
      "vga.bin": { bytes: 10, sha256: digest },
      k: { bytes: 1000, sha256: digest },
      i: { bytes: 500, sha256: digest },
      "s.zst": { bytes: 300, sha256: digest },
    },
    profiles: {
      live: {
        title: "Live",
        description: "",
        memory_mb: 128,
        bios: "bios.bin",
        vga_bios: "vga.bin",
        bzimage: "k",
        initrd: "i",
        cmdline: "console=ttyS0",
        state: "s.zst",
        snapshot: { file: "s.zst", raw_bytes: 3000, v86_version: "0.5.462", machine, prompt: "# " },
        v86_version: "0.5.462",
        machine,
        ready_text: "# ",
        agent: true,
      },
    },
  };
}

describe("parseManifest", () => {
  it("accepts a well-formed manifest", () => {
    expect(parseManifest(sample())).toMatchObject({ ok: true });
  });

  it("names the field of a file that is not listed", () => {
    const m = sample();
    m.profiles.live!.initrd = "missing.img";
    expect(parseManifest(m)).toEqual({
      ok: false,
      error:
        "invalid guest manifest at profiles.live.initrd: file missing.img is not listed in files",
    });
  });

  it("refuses paths that leave public/images/", () => {
    const m = sample();
    m.profiles.live!.bios = "../secret";
    const r = parseManifest(m);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain("profiles.live.bios");
  });

  it("counts download bytes for a cold boot and for a restore", () => {
    const m = sample();
    expect(profileDownloadBytes(m, m.profiles.live!, false)).toBe(1610);
    expect(profileDownloadBytes(m, m.profiles.live!, true)).toBe(410);
  });
});

describe("buildV86Options", () => {
  const m = sample();
  const live = m.profiles.live!;
  const files = {
    bios: { url: "/images/bios.bin" },
    vga_bios: { url: "/images/vga.bin" },
    bzimage: { url: "/images/k" },
    initrd: { url: "/images/i" },
    state: { url: "/images/s.zst" },
  };

  it("gives a cold boot the kernel, command line and agent port", () => {
    const o = buildV86Options({
      profile: live,
      files,
      wasmPath: "/v86/v86.wasm",
      extraCmdline: "hostname=pc2",
    });
    expect(o).toMatchObject({
      memory_size: 128 * 1024 * 1024,
      vga_memory_size: 256 * 1024,
      uart1: true,
      net_device: { type: "ne2k" },
      disable_speaker: true,
      autostart: true,
      cmdline: "console=ttyS0 hostname=pc2",
      bzimage: files.bzimage,
    });
    expect(o.initial_state).toBeUndefined();
  });

  it("gives a restore the state and no kernel, with the machine the snapshot recorded", () => {
    const o = buildV86Options({ profile: live, files, wasmPath: "/w", fromSnapshot: true });
    expect(o.initial_state).toBe(files.state);
    expect(o.bzimage ?? o.initrd ?? o.cmdline).toBeUndefined();
    expect(
      checkSnapshotCompat(live.snapshot!, { v86Version: "0.5.462", machine: machineOf(o) }),
    ).toEqual({ ok: true });
  });

  it("lets the memory be changed, which the snapshot check then refuses", () => {
    const o = buildV86Options({ profile: live, files, wasmPath: "/w", memoryMb: 64 });
    expect(o.memory_size).toBe(64 * 1024 * 1024);
    expect(
      checkSnapshotCompat(live.snapshot!, { v86Version: "0.5.462", machine: machineOf(o) }),
    ).toEqual({
      ok: false,
      error: "this snapshot was made for 128 MB of memory, not 64; start with a cold boot instead",
    });
  });
});
