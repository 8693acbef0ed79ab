import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { AptUnavailableError } from "../lib/apt";
import { sha256, sha256File, type StampStore } from "../lib/cache";
import { hasCommand, run } from "../lib/run";
import { PROJECT_ROOT } from "../node-vm";

/**
 * The overhead benchmark (docs/overhead.md): one C source, guest/bench/vbench.c, built twice.
 * - a static i386 Linux binary with Debian's gcc, freestanding (own _start and syscalls): no
 *   gcc-multilib, under 3 KB instead of about 660 KB with a static 32-bit libc;
 * - a WebAssembly module with clang + wasm-ld, exporting vbench(size_kib, rounds) -> checksum.
 * Cached by the source, the flags and the toolchain versions.
 */

export const VBENCH_SOURCE = join(PROJECT_ROOT, "guest/bench/vbench.c");
export const VBENCH_WASM = "vbench.wasm";
export const VBENCH_GUEST_PATH = "/usr/bin/vbench";

/** Tool -> Debian package, installed with apt-get when missing. */
const TOOLS: Readonly<Record<string, string>> = { gcc: "gcc", clang: "clang", "wasm-ld": "lld" };

const COMMON_FLAGS = [
  "-O2",
  "-ffreestanding",
  "-fno-builtin",
  "-nostdlib",
  "-Wall",
  "-Wextra",
  "-Werror",
];
export const I386_FLAGS = [
  ...COMMON_FLAGS,
  "-m32",
  "-march=i686",
  "-static",
  "-fno-pie",
  "-no-pie",
  // gcc would turn the copy loops into memcpy calls; there is no libc to answer them.
  "-fno-tree-loop-distribute-patterns",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
  "-Wl,--build-id=none",
  "-Wl,-z,noseparate-code",
  "-s",
];
export const WASM_FLAGS = [
  ...COMMON_FLAGS,
  "--target=wasm32",
  "-Wl,--no-entry",
  "-Wl,--strip-all",
  "-Wl,--export=vbench",
  "-Wl,--export=vbench_max_kib",
];

export interface VbenchBuild {
  /** The i386 binary, for the live initramfs at VBENCH_GUEST_PATH. */
  i386: string;
  /** public/images/vbench.wasm */
  wasm: string;
  /** Digest of both outputs: what the live initramfs and its snapshot depend on. */
  digest: string;
}

function ensureTools(log: (msg: string) => void): void {
  const missing = Object.entries(TOOLS)
    .filter(([tool]) => !hasCommand(tool))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !hasCommand("apt-get")) {
    throw new AptUnavailableError(
      `Cannot build the benchmark: missing ${missing.join(", ")} (Debian packages) and cannot install them (needs root and apt-get).`,
    );
  }
  log(`installing benchmark toolchain: ${missing.join(" ")}`);
  run("apt-get", ["install", "-y", "--no-install-recommends", ...new Set(missing)], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

function firstLine(cmd: string, args: string[]): string {
  return run(cmd, args).split("\n")[0]?.trim() ?? "";
}

/** Builds both targets when the source, flags or toolchain changed; returns where they are. */
export async function buildVbench(opts: {
  stamps: StampStore;
  cacheDir: string;
  imagesDir: string;
  log: (msg: string) => void;
}): Promise<VbenchBuild> {
  const { stamps, cacheDir, imagesDir, log } = opts;
  ensureTools(log);
  const dir = join(cacheDir, "bench");
  mkdirSync(dir, { recursive: true });
  const i386 = join(dir, "vbench-i386");
  const wasm = join(imagesDir, VBENCH_WASM);
  const toolchain = [
    firstLine("gcc", ["--version"]),
    firstLine("clang", ["--version"]),
    firstLine("wasm-ld", ["--version"]),
  ].join("\n");
  const key = sha256(
    [
      readFileSync(VBENCH_SOURCE, "utf8"),
      toolchain,
      I386_FLAGS.join(" "),
      WASM_FLAGS.join(" "),
    ].join("\n\0"),
  );
  await stamps.step(
    "vbench",
    key,
    [i386, wasm],
    () => {
      run("gcc", [...I386_FLAGS, "-o", `${i386}.tmp`, VBENCH_SOURCE]);
      renameSync(`${i386}.tmp`, i386);
      const wasmTmp = join(dir, "vbench.wasm");
      run("clang", [...WASM_FLAGS, "-o", wasmTmp, VBENCH_SOURCE]);
      copyFileSync(wasmTmp, `${wasm}.tmp`);
      chmodSync(`${wasm}.tmp`, 0o644);
      renameSync(`${wasm}.tmp`, wasm);
    },
    log,
  );
  return { i386, wasm, digest: sha256(`${sha256File(i386)}\n${sha256File(wasm)}`) };
}
