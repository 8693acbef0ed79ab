import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getProfile, type Manifest } from "@/lib/emulator/manifest";
import { checkSnapshotCompat } from "@/lib/emulator/snapshot-compat";
import { buildV86Options, machineOf } from "@/lib/emulator/v86-options";
import { NodeVm, profileFiles, v86Version, WASM_PATH } from "@/guest/node-vm";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

describe("live boot snapshot", () => {
  let manifest: Manifest;
  let vm: NodeVm | undefined;

  beforeAll(async () => {
    manifest = await loadImages();
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    await vm?.destroy();
  });

  it("records the v86 build and machine it was taken with", () => {
    const live = getProfile(manifest, "live");
    expect(live.snapshot).toMatchObject({
      v86_version: v86Version(),
      machine: live.machine,
      file: live.state,
    });
  });

  it("restores and answers a command on the console and through the agent", async () => {
    const live = getProfile(manifest, "live");
    const options = buildV86Options({
      profile: live,
      files: profileFiles(live, { withState: true }),
      wasmPath: WASM_PATH,
      fromSnapshot: true,
    });
    expect(options.bzimage).toBeUndefined();
    expect(
      checkSnapshotCompat(live.snapshot!, {
        v86Version: v86Version(),
        machine: machineOf(options),
      }),
    ).toEqual({ ok: true });
    const t0 = performance.now();
    vm = await NodeVm.start(options);
    const out = await vm.run("echo restored-$((40+2))", /restored-42\r?\n.*root@live:~# /s, 15_000);
    const ms = performance.now() - t0;
    console.log(`snapshot restore to answered command: ${ms.toFixed(0)} ms`);
    expect(out).toContain("restored-42");
    const agent = agentFor(vm);
    try {
      agent.assumeReady();
      const r = await agent.run("cat /proc/sys/kernel/hostname; grep -c ext2 /proc/filesystems");
      expect(r).toMatchObject({ status: 0, output: "live\n1\n" });
    } finally {
      agent.dispose();
    }
  }, 60_000);

  it("is refused with a clear error for another memory size or v86 build", () => {
    const live = getProfile(manifest, "live");
    const snap = live.snapshot!;
    const options = buildV86Options({
      profile: live,
      files: {},
      wasmPath: WASM_PATH,
      memoryMb: 256,
    });
    expect(
      checkSnapshotCompat(snap, { v86Version: v86Version(), machine: machineOf(options) }),
    ).toEqual({
      ok: false,
      error: "this snapshot was made for 128 MB of memory, not 256; start with a cold boot instead",
    });
    const other = checkSnapshotCompat(snap, { v86Version: "0.0.1", machine: snap.machine });
    expect(other.ok).toBe(false);
    expect(!other.ok && other.error).toMatch(
      /made with v86 .* not 0\.0\.1; start with a cold boot instead/,
    );
    const noAgentPort = checkSnapshotCompat(snap, {
      v86Version: v86Version(),
      machine: { ...snap.machine, uart1: false },
    });
    expect(!noAgentPort.ok && noAgentPort.error).toMatch(/second serial port/);
  });
});
