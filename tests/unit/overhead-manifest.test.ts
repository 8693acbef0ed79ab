import { describe, expect, it } from "vitest";
import { parseManifest, type Manifest } from "@/lib/emulator/manifest";
import { machineFor } from "@/lib/emulator/v86-options";

const digest = "0".repeat(64);
function sample(): Manifest {
  const machine = machineFor(128);
  return {
    format: 1,
    generated_by: "test",
    recipe_hash: "abc",
    packages: {},
    v86_version: "0.5.462",
    files: {
      "bios.bin": { bytes: 100, sha256: digest },
      "vga.bin": { bytes: 10, sha256: digest },
      "vbench.wasm": { bytes: 2027, sha256: digest },
    },
    profiles: {
      live: {
        title: "Live",
        description: "",
        memory_mb: 128,
        bios: "bios.bin",
        vga_bios: "vga.bin",
        v86_version: "0.5.462",
        machine,
        ready_text: "# ",
        agent: true,
      },
    },
    benchmark: { wasm: "vbench.wasm", guest_path: "/usr/bin/vbench" },
  };
}

describe("manifest benchmark field", () => {
  it("is accepted when its wasm is listed in files", () => {
    const parsed = parseManifest(sample());
    expect(parsed.ok && parsed.manifest.benchmark).toEqual({
      wasm: "vbench.wasm",
      guest_path: "/usr/bin/vbench",
    });
  });
  it("is optional: a manifest built before the benchmark still parses", () => {
    const { benchmark: _benchmark, ...older } = sample();
    const parsed = parseManifest(older);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.manifest.benchmark).toBeUndefined();
  });
  it("names the field when the wasm is not listed, escapes public/images/ or the guest path is not absolute", () => {
    const unlisted = sample();
    unlisted.benchmark = { wasm: "other.wasm", guest_path: "/usr/bin/vbench" };
    expect(parseManifest(unlisted)).toEqual({
      ok: false,
      error: "invalid guest manifest at benchmark.wasm: file other.wasm is not listed in files",
    });
    const escaping = sample();
    escaping.benchmark = { wasm: "../vbench.wasm", guest_path: "/usr/bin/vbench" };
    expect(parseManifest(escaping)).toMatchObject({
      ok: false,
      error: expect.stringContaining("benchmark.wasm"),
    });
    for (const guest_path of ["vbench", "/usr/bin/vbench; reboot", ""]) {
      const bad = sample();
      bad.benchmark = { wasm: "vbench.wasm", guest_path };
      expect(parseManifest(bad)).toMatchObject({
        ok: false,
        error: expect.stringContaining("benchmark.guest_path"),
      });
    }
  });
});
