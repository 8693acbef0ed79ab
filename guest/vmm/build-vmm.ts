import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { I386_FLAGS } from "../bench/build-vbench";
import { sha256, sha256File, type StampStore } from "../lib/cache";
import { hostFile } from "../lib/rootfs";
import type { NewcEntry } from "../lib/newc";
import { run } from "../lib/run";
import { PROJECT_ROOT } from "../node-vm";

/**
 * The hypervisor lesson's programs (content/labs, "Build a hypervisor from scratch"): trapdemo
 * and tinyvmm, static i386 binaries built like vbench (freestanding, guest/vmm/mini.h instead of
 * a libc), and tinyvmm's guests, boot sectors assembled with nasm. The bare-metal profile's boot
 * sector is one of them, so the same program runs on the bare machine and under tinyvmm.
 */

const VMM_DIR = join(PROJECT_ROOT, "guest/vmm");
export const VMM_PROGRAMS = ["trapdemo", "tinyvmm"] as const;
/** Guest name -> its source; installed as /usr/share/tinyvmm/<name>.img. */
export const VMM_GUESTS: Readonly<Record<string, string>> = {
  hello: join(VMM_DIR, "guests/hello.asm"),
  spin: join(VMM_DIR, "guests/spin.asm"),
  runaway: join(VMM_DIR, "guests/runaway.asm"),
  bootsector: join(PROJECT_ROOT, "guest/baremetal/boot.asm"),
};
export const VMM_GUEST_DIR = "/usr/share/tinyvmm";
// tinyvmm reads and writes the guest's memory at linear address 0 through a pointer.
const FLAGS = [...I386_FLAGS, "-fno-delete-null-pointer-checks"];

export interface VmmBuild {
  /** Files for the live initramfs. */
  entries: NewcEntry[];
  /** Digest of every output: what the live initramfs and its snapshot depend on. */
  digest: string;
}

export async function buildVmm(opts: {
  stamps: StampStore;
  cacheDir: string;
  log: (msg: string) => void;
}): Promise<VmmBuild> {
  const dir = join(opts.cacheDir, "vmm");
  mkdirSync(dir, { recursive: true });
  const binaries = VMM_PROGRAMS.map((p) => join(dir, p));
  const images = Object.keys(VMM_GUESTS).map((g) => join(dir, `${g}.img`));
  const sources = [
    join(VMM_DIR, "mini.h"),
    ...VMM_PROGRAMS.map((p) => join(VMM_DIR, `${p}.c`)),
    ...Object.values(VMM_GUESTS),
  ];
  const toolchain = [run("gcc", ["--version"]), run("nasm", ["-v"])].join("\n");
  const key = sha256(
    [...sources.map((s) => readFileSync(s, "utf8")), toolchain, FLAGS.join(" ")].join("\n\0"),
  );
  await opts.stamps.step(
    "vmm",
    key,
    [...binaries, ...images],
    () => {
      for (const p of VMM_PROGRAMS) {
        run("gcc", [...FLAGS, "-o", join(dir, `${p}.tmp`), join(VMM_DIR, `${p}.c`)]);
        renameSync(join(dir, `${p}.tmp`), join(dir, p));
      }
      for (const [name, asm] of Object.entries(VMM_GUESTS)) {
        run("nasm", ["-f", "bin", "-o", join(dir, `${name}.tmp`), asm]);
        renameSync(join(dir, `${name}.tmp`), join(dir, `${name}.img`));
      }
    },
    opts.log,
  );
  const entries: NewcEntry[] = [
    { kind: "dir", path: "usr/share" },
    { kind: "dir", path: VMM_GUEST_DIR.slice(1) },
    ...VMM_PROGRAMS.map((p) => hostFile(`usr/bin/${p}`, join(dir, p), 0o755)),
    ...Object.keys(VMM_GUESTS).map((g) =>
      hostFile(`${VMM_GUEST_DIR.slice(1)}/${g}.img`, join(dir, `${g}.img`)),
    ),
  ];
  const digest = sha256([...binaries, ...images].map((f) => sha256File(f)).join("\n"));
  return { entries, digest };
}
