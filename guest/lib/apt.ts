import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { hasCommand, run } from "./run";

/** Host tools the build runs, and the Debian package that provides each. */
export const HOST_TOOLS: Readonly<Record<string, string>> = {
  "apt-get": "apt",
  dpkg: "dpkg",
  xorriso: "xorriso",
  nasm: "nasm",
  zstd: "zstd",
  // The guests' kernel is compiled here (guest/lib/kernel.ts); gcc builds i386 code with -m32.
  make: "make",
  gcc: "gcc",
  flex: "flex",
  bison: "bison",
  bc: "bc",
  xz: "xz-utils",
};

/** The Debian 12 i386 packages the guests are made of (the kernel is compiled from linux-source). */
export const GUEST_PACKAGES = [
  "linux-source-6.1",
  "seabios",
  "busybox-static",
  "isolinux",
  "syslinux-common",
  "extlinux",
  "libc6",
  // e2fsprogs (mke2fs, e2fsck) for the installer and the installed system, and what it links
  "e2fsprogs",
  "libext2fs2",
  "libcom-err2",
  "libblkid1",
  "libuuid1",
  // iperf3 in the live guest (throughput between VMs), and the libraries it links but libcrypto
  "iperf3",
  "libiperf0",
  "libsctp1",
] as const;

export class AptUnavailableError extends Error {}

export function explainRequirements(missing: string): string {
  return [
    `Cannot build the guest images: ${missing}.`,
    "The build needs a Debian 12 (bookworm) host with apt, run as root, that can reach Debian's archive.",
    `Host tools (installed with apt-get when missing): ${Object.entries(HOST_TOOLS)
      .map(([t, p]) => `${t} (package ${p})`)
      .join(", ")}.`,
    `Guest packages (downloaded for i386 into .cache/guest/): ${GUEST_PACKAGES.join(", ")}.`,
  ].join("\n");
}

export function ensureHostTools(log: (msg: string) => void): void {
  if (!hasCommand("apt-get") || !hasCommand("dpkg")) {
    throw new AptUnavailableError(
      explainRequirements("apt-get/dpkg are not available on this machine"),
    );
  }
  const missing = Object.entries(HOST_TOOLS)
    .filter(([tool]) => !hasCommand(tool))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new AptUnavailableError(
      explainRequirements(`missing host packages ${missing.join(", ")} and not root`),
    );
  }
  log(`installing host tools: ${missing.join(" ")}`);
  run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** apt for i386 with private lists and cache, leaving the system's apt state untouched. */
export class I386Apt {
  readonly root: string;
  private updated = false;

  constructor(cacheRoot: string) {
    this.root = join(cacheRoot, "apt");
    for (const d of ["lists/partial", "cache/archives/partial", "debs"])
      mkdirSync(join(this.root, d), { recursive: true });
    const status = join(this.root, "status");
    if (!existsSync(status)) writeFileSync(status, "");
  }

  private args(): string[] {
    return [
      "-oAPT::Architecture=i386",
      "-oAPT::Architectures=i386",
      `-oDir::State::Lists=${join(this.root, "lists")}`,
      `-oDir::Cache=${join(this.root, "cache")}`,
      `-oDir::State::Status=${join(this.root, "status")}`,
      "-oDebug::NoLocking=1",
      "-qq",
    ];
  }

  update(log: (msg: string) => void): void {
    if (this.updated) return;
    try {
      run("apt-get", [...this.args(), "update"]);
    } catch (err) {
      // One failing index (e.g. a mirror mid-sync for the security suite) is tolerable when
      // the main suite's index arrived: the packages are then taken from what is listed.
      const lists = readdirSync(join(this.root, "lists")).filter((f) =>
        f.includes("_main_binary-i386_Packages"),
      );
      if (lists.length === 0)
        throw new AptUnavailableError(explainRequirements(`apt-get update failed: ${String(err)}`));
      log(`warning: apt-get update reported errors, continuing with the indexes it got`);
    }
    this.updated = true;
  }

  /** Candidate version of a package, and for metapackages the first dependency. */
  show(pkg: string): { version: string; depends: string[] } {
    const out = run("apt-cache", [...this.args(), "show", "--no-all-versions", pkg]);
    const version = /^Version: (.+)$/m.exec(out)?.[1];
    if (!version) throw new Error(`apt-cache show ${pkg}: no version`);
    const depends = (/^Depends: (.+)$/m.exec(out)?.[1] ?? "")
      .split(",")
      .map((d) => d.trim().split(/[ |]/)[0] ?? "")
      .filter(Boolean);
    return { version, depends };
  }

  /** Downloads (if not cached) and unpacks a package; returns the folder it was unpacked into. */
  fetch(pkg: string, version: string, log: (msg: string) => void): string {
    const safe = `${pkg}_${version.replace(/[^A-Za-z0-9.+~-]/g, "_")}`;
    const tree = join(this.root, "..", "pkgs", safe);
    if (existsSync(join(tree, ".done"))) return tree;
    const debs = join(this.root, "debs");
    const before = new Set(readdirSync(debs));
    log(`downloading ${pkg} ${version} (i386)`);
    run("apt-get", [...this.args(), "download", `${pkg}=${version}`], { cwd: debs });
    const deb =
      readdirSync(debs).find((f) => !before.has(f) && f.endsWith(".deb")) ??
      readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(".deb"));
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
    rmSync(tree, { recursive: true, force: true });
    const tmp = `${tree}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    run("dpkg", ["-x", join(debs, deb), tmp]);
    writeFileSync(join(tmp, ".done"), `${deb}\n`);
    renameSync(tmp, tree);
    rmSync(join(debs, deb));
    return tree;
  }
}

export function fileSize(path: string): number {
  return statSync(path).size;
}
