import { spawnSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { sha256 } from "./cache";
import { CommandError, run } from "./run";

/** Debian's kernel source package the guests' kernel is built from (Architecture: all). */
export const KERNEL_SOURCE_PACKAGE = "linux-source-6.1";

/** Fixed build identity, so that the same inputs give the same `Linux version` line. */
const BUILD_ENV = {
  KBUILD_BUILD_USER: "vlabs",
  KBUILD_BUILD_HOST: "vlabs",
  KBUILD_BUILD_TIMESTAMP: "2024-01-01",
  KBUILD_BUILD_VERSION: "1",
};

export interface KernelBuild {
  /** Folder the source .deb was unpacked into (holds usr/src/linux-source-6.1.tar.xz). */
  sourcePkgTree: string;
  sourceVersion: string;
  /** The committed config fragment (guest/kernel/vlabs.config). */
  fragment: string;
  /** .cache/guest/kernel: unpacked source and the out-of-tree build folder. */
  workDir: string;
  out: string;
  log: (msg: string) => void;
}

function compilerVersion(): string {
  return run("gcc", ["--version"]).split("\n")[0] ?? "";
}

/** Digest of what the kernel image depends on; the rest of the recipe does not rebuild it. */
export function kernelKey(b: Pick<KernelBuild, "sourceVersion" | "fragment">): string {
  return sha256(
    `${b.sourceVersion}\n${readFileSync(b.fragment, "utf8")}\n${compilerVersion()}\n${JSON.stringify(BUILD_ENV)}`,
  );
}

/** Unpacks the kernel source once per source version; older versions are removed. */
function unpackSource(b: KernelBuild): string {
  const name = `src-${b.sourceVersion.replace(/[^A-Za-z0-9.+~-]/g, "_")}`;
  const src = join(b.workDir, name);
  if (existsSync(join(src, ".done"))) return src;
  for (const old of readdirSync(b.workDir))
    if (old.startsWith("src-")) rmSync(join(b.workDir, old), { recursive: true, force: true });
  const tarball = join(b.sourcePkgTree, "usr/src", `${KERNEL_SOURCE_PACKAGE}.tar.xz`);
  b.log(`unpacking ${KERNEL_SOURCE_PACKAGE} ${b.sourceVersion}`);
  const tmp = `${src}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run("tar", ["-xJf", tarball, "-C", tmp, "--strip-components=1"]);
  writeFileSync(join(tmp, ".done"), `${b.sourceVersion}\n`);
  renameSync(tmp, src);
  return src;
}

/** Runs make with its output in a log file (a clean build prints thousands of lines). */
function make(src: string, build: string, args: readonly string[], logFile: string): void {
  const fd = openSync(logFile, "a");
  try {
    const res = spawnSync("make", ["-C", src, `O=${build}`, "ARCH=i386", ...args], {
      stdio: ["ignore", fd, fd],
      env: { ...process.env, ...BUILD_ENV },
    });
    if (res.error) throw new CommandError(`make: ${res.error.message}`);
    if (res.status !== 0) {
      const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-25).join("\n");
      throw new CommandError(
        `make ${args.join(" ")} exited with ${res.status} (log: ${logFile})\n${tail}`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

/** Lines of the fragment that the resolved .config does not honour (a dependency was missing). */
export function unmetConfig(fragment: string, resolved: string): string[] {
  const have = new Map<string, string>();
  for (const line of resolved.split("\n")) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (m) have.set(m[1]!, m[2]!);
  }
  const unmet: string[] = [];
  for (const line of fragment.split("\n")) {
    const on = /^(CONFIG_\w+)=(.*)$/.exec(line);
    const off = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (on && have.get(on[1]!) !== on[2])
      unmet.push(`${line} (resolved: ${have.get(on[1]!) ?? "not set"})`);
    if (off && have.has(off[1]!) && have.get(off[1]!) !== "n")
      unmet.push(`${line} (resolved: ${have.get(off[1]!)})`);
  }
  return unmet;
}

/**
 * Configures (allnoconfig + the fragment) and builds bzImage out of tree. The build folder is
 * kept, so a changed fragment rebuilds only what it touches; a new source version starts clean.
 */
export function buildKernel(b: KernelBuild): void {
  mkdirSync(b.workDir, { recursive: true });
  const src = unpackSource(b);
  const build = join(b.workDir, "build");
  const versionFile = join(build, ".vlabs-source-version");
  if (
    existsSync(build) &&
    (!existsSync(versionFile) || readFileSync(versionFile, "utf8") !== b.sourceVersion)
  ) {
    rmSync(build, { recursive: true, force: true });
  }
  mkdirSync(build, { recursive: true });
  writeFileSync(versionFile, b.sourceVersion);
  const logFile = join(b.workDir, "build.log");
  writeFileSync(logFile, "");
  make(src, build, [`KCONFIG_ALLCONFIG=${b.fragment}`, "allnoconfig"], logFile);
  const unmet = unmetConfig(
    readFileSync(b.fragment, "utf8"),
    readFileSync(join(build, ".config"), "utf8"),
  );
  if (unmet.length > 0)
    throw new Error(
      `kernel config: Kconfig did not keep these lines of ${b.fragment}:\n${unmet.join("\n")}`,
    );
  const jobs = String(availableParallelism());
  b.log(
    `building the kernel (make -j${jobs} bzImage; a clean build takes minutes, log in ${logFile})`,
  );
  make(src, build, [`-j${jobs}`, "bzImage"], logFile);
  copyFileSync(join(build, "arch/x86/boot/bzImage"), `${b.out}.tmp`);
  renameSync(`${b.out}.tmp`, b.out);
}
