/**
 * The same guest work outside any browser, for reference: the live guest under QEMU's TCG (a
 * translating emulator like v86, in native code) and vbench's i386 binary run on the host.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { IMAGES_DIR } from "../../guest/node-vm";
import { ensureDebianPackages } from "../../scripts/lib/apt-install";
import type { LiveProfile } from "./vbench-runs";
import { VBENCH_ARGS, vbenchCommand, vbenchTimes } from "./vbench-runs";

export const QEMU_PATH = "/usr/bin/qemu-system-i386";
const NATIVE_VBENCH = ".cache/guest/bench/vbench-i386";

export function qemuVersion(): string {
  return execFileSync(QEMU_PATH, ["--version"], { encoding: "utf8" }).split("\n")[0]!.trim();
}

/** vbench's runs in the live guest booted by QEMU TCG (no snapshot: QEMU cannot read v86's). */
export async function qemuVbench(profile: LiveProfile, runs: number): Promise<number[]> {
  const installed = await ensureDebianPackages({
    what: "QEMU for the reference figures",
    packages: ["qemu-system-x86"],
    files: [QEMU_PATH],
  });
  if (!installed) throw new Error("qemu-system-i386 is missing");
  const qemu = spawn(
    QEMU_PATH,
    [
      ...["-accel", "tcg", "-m", String(profile.memoryMb), "-nographic", "-no-reboot"],
      ...["-kernel", join(IMAGES_DIR, profile.bzimage)],
      ...["-initrd", join(IMAGES_DIR, profile.initrd)],
      ...["-append", profile.cmdline],
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  let output = "";
  qemu.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = async (pattern: RegExp, timeoutMs: number): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(output);
      if (match) return output;
      if (qemu.exitCode !== null) throw new Error(`QEMU exited (${qemu.exitCode}):\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`QEMU: no ${pattern} within ${timeoutMs} ms:\n${output.slice(-2000)}`);
  };
  try {
    await waitFor(new RegExp(escape(profile.readyText)), 180_000);
    output = "";
    qemu.stdin.write(`${vbenchCommand(runs)}\n`);
    return vbenchTimes(await waitFor(/vb-done-2\b/, 600_000));
  } finally {
    qemu.kill();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** vbench's static i386 binary on the host (built with the guest images). */
export function nativeVbench(runs: number): number[] {
  if (!existsSync(NATIVE_VBENCH)) throw new Error(`${NATIVE_VBENCH} is missing: npm run images`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++)
    times.push(
      ...vbenchTimes(execFileSync(NATIVE_VBENCH, ["-t", ...VBENCH_ARGS], { encoding: "utf8" })),
    );
  return times;
}
