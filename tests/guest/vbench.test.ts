import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "@/lib/emulator/manifest";
import type { AgentClient } from "@/lib/guest-agent/client";
import { IMAGES_DIR, NodeVm } from "@/guest/node-vm";
import { sha256File } from "@/guest/lib/cache";
import { formatChecksum } from "@/lib/overhead/stats";
import { guestCommand, parseVbenchOutput } from "@/lib/overhead/vbench-output";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

/** The same C source, as wasm on the host and as an i386 binary in the live guest. */
describe("vbench: host wasm and guest binary agree", () => {
  let manifest: Manifest;
  let vm: NodeVm;
  let agent: AgentClient;
  let vbench: (sizeKib: number, rounds: number) => number;

  beforeAll(async () => {
    manifest = await loadImages();
    const wasm = manifest.benchmark!.wasm;
    const { instance } = await WebAssembly.instantiate(readFileSync(join(IMAGES_DIR, wasm)));
    vbench = instance.exports.vbench as typeof vbench;
    vm = await NodeVm.boot(manifest, "live", { fromSnapshot: true });
    agent = agentFor(vm);
    agent.assumeReady();
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    agent?.dispose();
    await vm?.destroy();
  });

  it("is in the manifest with its size and digest", () => {
    expect(manifest.benchmark).toEqual({ wasm: "vbench.wasm", guest_path: "/usr/bin/vbench" });
    const file = join(IMAGES_DIR, "vbench.wasm");
    expect(manifest.files["vbench.wasm"]).toEqual({
      bytes: readFileSync(file).byteLength,
      sha256: sha256File(file),
    });
  });

  it("prints the wasm's checksum for the same parameters, with its own time", async () => {
    const cases = [
      [1, 1],
      [64, 3],
      [256, 20],
    ] as const;
    const seen = new Set<string>();
    for (const [sizeKib, rounds] of cases) {
      const host = formatChecksum(vbench(sizeKib, rounds));
      const r = await agent.run(guestCommand(manifest.benchmark!.guest_path, sizeKib, rounds, 1), {
        timeoutS: 60,
      });
      expect(r.status, r.output).toBe(0);
      const parsed = parseVbenchOutput(r.output);
      expect(parsed.ok, r.output).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.runs).toHaveLength(1);
      expect(parsed.runs[0]).toMatchObject({ sizeKib, rounds, checksum: host });
      // The guest timed itself, and its clock moved (a frozen clock would print 0).
      if (sizeKib * rounds >= 256 * 20) expect(parsed.runs[0]!.timeMs).toBeGreaterThan(0);
      else expect(parsed.runs[0]!.timeMs).toBeGreaterThanOrEqual(0);
      seen.add(host);
    }
    // Different work gives different checksums: the comparison is not trivially true.
    expect(seen.size).toBe(cases.length);
  }, 120_000);

  it("refuses bad arguments with its usage and status 2, as the wasm returns 0", async () => {
    for (const args of ["", "0", "4097", "64 0", "abc", "-t"]) {
      const r = await agent.run(`/usr/bin/vbench ${args}`);
      expect(r.status, args).toBe(2);
      expect(r.output).toMatch(/^usage: vbench/);
    }
    expect(vbench(0, 1)).toBe(0);
    expect(vbench(4097, 1)).toBe(0);
    expect(vbench(64, 0)).toBe(0);
  }, 60_000);

  it("is a small static i386 binary that needs no libc", async () => {
    const header = await agent.run("head -c 20 /usr/bin/vbench | od -An -tx1");
    expect(header.status).toBe(0);
    // ELF, 32-bit, little endian, ET_EXEC, EM_386
    expect(header.output.trim().split(/\s+/).join(" ")).toBe(
      "7f 45 4c 46 01 01 01 00 00 00 00 00 00 00 00 00 02 00 03 00",
    );
    const size = await agent.run("wc -c < /usr/bin/vbench");
    expect(Number(size.output)).toBeGreaterThan(500);
    expect(Number(size.output)).toBeLessThan(16_384);
    // Static: no program interpreter named in it (a dynamic i386 binary names /lib/ld-linux.so.2;
    // the live image has that loader now, for iperf3).
    expect((await agent.run("grep -c ld-linux /usr/bin/vbench")).output.trim()).toBe("0");
  }, 30_000);
});
