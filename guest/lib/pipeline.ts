import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { parseManifest, type Manifest, type ManifestProfile } from "../../lib/emulator/manifest";
import { machineFor, VIRTIO_MAX_MTU } from "../../lib/emulator/v86-options";
import { IMAGES_DIR, PROJECT_ROOT, v86Version } from "../node-vm";
import * as P from "../profiles";
import { buildVbench, VBENCH_GUEST_PATH, VBENCH_WASM } from "../bench/build-vbench";
import { buildVmm } from "../vmm/build-vmm";
import { buildCryptoStandIn } from "../iperf3/build-iperf3";
import { ensureHostTools, I386Apt, GUEST_PACKAGES } from "./apt";
import { hashPaths, sha256, sha256File, StampStore } from "./cache";
import { buildKernel, kernelKey, KERNEL_SOURCE_PACKAGE } from "./kernel";
import { makeBaremetalFloppy, makeInstallerIso } from "./media";
import { writeNewc, type NewcEntry } from "./newc";
import { addTree, baseRootfs, dedupe, hostFile, missingLibraries, textFile } from "./rootfs";
import { withBuildLock } from "./lock";
import { takeBootSnapshot } from "./snapshot";

export const CACHE_DIR = join(PROJECT_ROOT, ".cache", "guest");
const GUEST_DIR = join(PROJECT_ROOT, "guest");
const MANIFEST_PATH = join(IMAGES_DIR, P.FILES.manifest);

export interface BuildOptions {
  /** Rebuild every artifact even when its stamp says it is up to date. */
  force?: boolean;
  /** Skip the boot snapshot (faster; the live profile then cold-boots). */
  snapshot?: boolean;
  log?: (msg: string) => void;
}

/**
 * What the images are made from: guest files, what is put into guests and how, the option
 * builder and the manifest schema. Build plumbing (apt, stamps, lock, CLI) is left out so that
 * changing it does not rebuild the images.
 */
const RECIPE_INPUTS = [
  "guest/rootfs",
  "guest/baremetal",
  "guest/bench",
  "guest/vmm",
  "guest/iperf3",
  "guest/busybox-applets.txt",
  "guest/profiles.ts",
  "guest/lib/pipeline.ts",
  "guest/lib/newc.ts",
  "guest/lib/rootfs.ts",
  "guest/kernel",
  "guest/lib/kernel.ts",
  "guest/lib/media.ts",
  "guest/lib/snapshot.ts",
  "lib/emulator/v86-options.ts",
  "lib/emulator/manifest.ts",
];

/** Digest of the recipe inputs and the v86 build. */
export function recipeHash(): string {
  const files = hashPaths(PROJECT_ROOT, RECIPE_INPUTS);
  return sha256(`${files}\n${v86Version()}`);
}

export function readManifest(): Manifest | undefined {
  if (!existsSync(MANIFEST_PATH)) return undefined;
  const parsed = parseManifest(JSON.parse(readFileSync(MANIFEST_PATH, "utf8")));
  return parsed.ok ? parsed.manifest : undefined;
}

/** True when the manifest matches this recipe and every file it names is present (no apt). */
export function imagesUpToDate(): boolean {
  const m = readManifest();
  if (!m || m.recipe_hash !== recipeHash()) return false;
  // A --no-snapshot build is a partial one: the default build ships the live snapshot.
  if (!m.profiles.live?.state) return false;
  return Object.keys(m.files).every((f) => existsSync(join(IMAGES_DIR, f)));
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/** Resolves symlinks inside an unpacked package tree (absolute links point into the tree). */
function inTree(tree: string, path: string): string {
  let p = join(tree, path);
  for (let i = 0; i < 8; i++) {
    let target: string;
    try {
      target = readlinkSync(p);
    } catch {
      return p;
    }
    p = target.startsWith("/") ? join(tree, target) : join(dirname(p), target);
  }
  return p;
}

/**
 * Debian's e2fsprogs in the installer (and so in the system it installs, a copy of the installer's
 * own files): makes the ext4 root and checks it at every boot. Only the programs the guests use,
 * with the shared libraries they link (libc and the loader come from libc6, there for extlinux);
 * the build fails when one of them needs a library that is not in the archive.
 */
const E2FSPROGS = {
  programs: ["sbin/mke2fs", "sbin/e2fsck", "sbin/tune2fs", "sbin/dumpe2fs"],
  /** Debian's other names for them (mke2fs itself replaces busybox's, which makes only ext2). */
  links: {
    "sbin/mkfs.ext2": "mke2fs",
    "sbin/mkfs.ext3": "mke2fs",
    "sbin/mkfs.ext4": "mke2fs",
    "sbin/fsck.ext2": "e2fsck",
    "sbin/fsck.ext3": "e2fsck",
    "sbin/fsck.ext4": "e2fsck",
    "sbin/e2label": "tune2fs",
  },
  /** [package, soname path]: the file is stored under its soname, as the loader asks for it. */
  libraries: [
    ["libext2fs2", "lib/i386-linux-gnu/libext2fs.so.2"],
    ["libext2fs2", "lib/i386-linux-gnu/libe2p.so.2"],
    ["libcom-err2", "lib/i386-linux-gnu/libcom_err.so.2"],
    ["libblkid1", "usr/lib/i386-linux-gnu/libblkid.so.1"],
    ["libuuid1", "usr/lib/i386-linux-gnu/libuuid.so.1"],
  ],
  config: ["etc/mke2fs.conf"],
} as const;

function e2fsprogsEntries(tree: (pkg: string) => string): NewcEntry[] {
  const entries: NewcEntry[] = [{ kind: "dir", path: "usr/lib/i386-linux-gnu" }];
  for (const p of E2FSPROGS.programs) entries.push(hostFile(p, join(tree("e2fsprogs"), p), 0o755));
  for (const [link, target] of Object.entries(E2FSPROGS.links))
    entries.push({ kind: "symlink", path: link, target });
  for (const [pkg, lib] of E2FSPROGS.libraries) entries.push(hostFile(lib, inTree(tree(pkg), lib)));
  for (const c of E2FSPROGS.config) entries.push(hostFile(c, join(tree("e2fsprogs"), c)));
  return entries;
}

/**
 * Debian's iperf3 in the live guest, so that learners and tests measure throughput between VMs
 * the way administrators do, with the libraries it links and the C library and loader they all
 * need. libiperf also links libcrypto, for iperf3's optional authentication only: a stand-in
 * takes its place (guest/iperf3/libcrypto-stand-in.c), 13 KB instead of 4.5 MB in every guest's
 * memory and 1.6 MB in the compressed boot snapshot.
 */
const IPERF3 = {
  program: ["iperf3", "usr/bin/iperf3"],
  libraries: [
    ["libiperf0", "usr/lib/i386-linux-gnu/libiperf.so.0"],
    ["libsctp1", "usr/lib/i386-linux-gnu/libsctp.so.1"],
    ["libc6", "lib/i386-linux-gnu/libc.so.6"],
    ["libc6", "lib/i386-linux-gnu/libm.so.6"],
    ["libc6", "lib/ld-linux.so.2"],
  ],
} as const;

function iperf3Entries(tree: (pkg: string) => string, cryptoStandIn: string): NewcEntry[] {
  const [pkg, path] = IPERF3.program;
  const entries: NewcEntry[] = [
    { kind: "dir", path: "lib/i386-linux-gnu" },
    { kind: "dir", path: "usr/lib" },
    { kind: "dir", path: "usr/lib/i386-linux-gnu" },
    hostFile(path, join(tree(pkg), path), 0o755),
  ];
  for (const [from, lib] of IPERF3.libraries)
    entries.push(hostFile(lib, inTree(tree(from), lib), 0o755));
  entries.push(hostFile("usr/lib/i386-linux-gnu/libcrypto.so.3", cryptoStandIn, 0o755));
  return entries;
}

export async function buildImages(opts: BuildOptions = {}): Promise<Manifest> {
  const log = opts.log ?? ((m: string) => console.log(`[images] ${m}`));
  mkdirSync(CACHE_DIR, { recursive: true });
  return withBuildLock(CACHE_DIR, log, () => buildUnlocked(opts, log));
}

async function buildUnlocked(opts: BuildOptions, log: (msg: string) => void): Promise<Manifest> {
  const t0 = performance.now();
  mkdirSync(IMAGES_DIR, { recursive: true });
  const work = join(CACHE_DIR, "work");
  mkdirSync(work, { recursive: true });
  const stamps = new StampStore(join(CACHE_DIR, "stamps"), opts.force ?? false);

  ensureHostTools(log);
  const apt = new I386Apt(CACHE_DIR);
  apt.update(log);
  const versions: Record<string, string> = {};
  for (const pkg of GUEST_PACKAGES) versions[pkg] = apt.show(pkg).version;
  const trees: Record<string, string> = {};
  for (const [pkg, version] of Object.entries(versions)) trees[pkg] = apt.fetch(pkg, version, log);
  const tree = (pkg: string): string => trees[pkg] ?? "";
  const recipe = recipeHash();
  const kernelSource = {
    sourcePkgTree: tree(KERNEL_SOURCE_PACKAGE),
    sourceVersion: versions[KERNEL_SOURCE_PACKAGE] ?? "",
    fragment: join(GUEST_DIR, "kernel", "vlabs.config"),
  };
  const kernelDigest = kernelKey(kernelSource);
  // Everything booted depends on the kernel, whose key also covers the compiler.
  const pkgKey = JSON.stringify(versions) + kernelDigest;
  const out = (name: string): string => join(IMAGES_DIR, name);

  await stamps.step(
    "bios",
    sha256(pkgKey + recipe),
    [out(P.FILES.bios), out(P.FILES.vgaBios)],
    () => {
      copyFileSync(join(tree("seabios"), "usr/share/seabios/bios.bin"), out(P.FILES.bios));
      copyFileSync(
        join(tree("seabios"), "usr/share/seabios/vgabios-stdvga.bin"),
        out(P.FILES.vgaBios),
      );
    },
    log,
  );
  await stamps.step(
    "kernel",
    kernelDigest,
    [out(P.FILES.kernel)],
    () => {
      buildKernel({
        ...kernelSource,
        workDir: join(CACHE_DIR, "kernel"),
        out: out(P.FILES.kernel),
        log,
      });
    },
    log,
  );

  const base = (): NewcEntry[] => {
    const entries = baseRootfs({
      busybox: join(tree("busybox-static"), "bin/busybox"),
      appletFallback: join(GUEST_DIR, "busybox-applets.txt"),
    });
    addTree(entries, join(GUEST_DIR, "rootfs/common"));
    return entries;
  };
  const bench = await buildVbench({ stamps, cacheDir: CACHE_DIR, imagesDir: IMAGES_DIR, log });
  const vmm = await buildVmm({ stamps, cacheDir: CACHE_DIR, log });
  const crypto = await buildCryptoStandIn({ stamps, cacheDir: CACHE_DIR, log });
  const liveInitrd = out(P.FILES.liveInitrd);
  await stamps.step(
    "live-initrd",
    sha256(pkgKey + recipe + bench.digest + vmm.digest + crypto.digest),
    [liveInitrd],
    () => {
      const entries = base();
      entries.push(textFile("etc/hostname", `${P.LIVE_HOSTNAME}\n`));
      entries.push(hostFile(VBENCH_GUEST_PATH.slice(1), bench.i386, 0o755));
      entries.push(...vmm.entries);
      entries.push(...iperf3Entries(tree, crypto.path));
      const archive = dedupe(entries);
      const missing = missingLibraries(archive);
      if (missing.length > 0)
        throw new Error(`live initramfs: shared libraries missing:\n${missing.join("\n")}`);
      writeAtomic(liveInitrd, writeNewc(archive));
    },
    log,
  );

  const iso = out(P.FILES.installerIso);
  await stamps.step(
    "installer-iso",
    sha256(pkgKey + recipe),
    [iso],
    () => {
      const entries = base();
      addTree(entries, join(GUEST_DIR, "rootfs/installer"));
      const libc = tree("libc6");
      entries.push({ kind: "dir", path: "lib/i386-linux-gnu" });
      entries.push(
        hostFile(
          "lib/i386-linux-gnu/libc.so.6",
          inTree(libc, "lib/i386-linux-gnu/libc.so.6"),
          0o755,
        ),
      );
      entries.push(hostFile("lib/ld-linux.so.2", inTree(libc, "lib/ld-linux.so.2"), 0o755));
      entries.push(hostFile("usr/bin/extlinux", join(tree("extlinux"), "usr/bin/extlinux"), 0o755));
      entries.push({ kind: "dir", path: "usr/lib" });
      entries.push({ kind: "dir", path: "usr/lib/syslinux" });
      entries.push(
        hostFile(
          "usr/lib/syslinux/mbr.bin",
          join(tree("syslinux-common"), "usr/lib/syslinux/mbr/mbr.bin"),
        ),
      );
      entries.push(...e2fsprogsEntries(tree));
      const archive = dedupe(entries);
      const missing = missingLibraries(archive);
      if (missing.length > 0)
        throw new Error(`installer initramfs: shared libraries missing:\n${missing.join("\n")}`);
      const installerInitrd = join(work, "installer-initrd.img");
      writeFileSync(installerInitrd, writeNewc(archive));
      makeInstallerIso({
        workDir: work,
        out: iso,
        isolinuxBin: join(tree("isolinux"), "usr/lib/ISOLINUX/isolinux.bin"),
        ldlinux: join(tree("syslinux-common"), "usr/lib/syslinux/modules/bios/ldlinux.c32"),
        kernel: out(P.FILES.kernel),
        installerInitrd,
        cmdline: P.KERNEL_CMDLINE,
      });
    },
    log,
  );

  const floppy = out(P.FILES.baremetal);
  await stamps.step(
    "baremetal",
    sha256(recipe),
    [floppy],
    () => {
      makeBaremetalFloppy(join(GUEST_DIR, "baremetal/boot.asm"), work, floppy);
    },
    log,
  );

  const manifest = assembleManifest(recipe, versions, false);
  writeAtomic(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);

  if (opts.snapshot !== false) {
    const key = sha256(pkgKey + recipe + bench.digest + vmm.digest + crypto.digest);
    const rawBytes: RawBytes = { ne2k: 0, virtio: 0 };
    for (const nic of ["ne2k", "virtio"] as const) {
      const state = out(SNAPSHOT_FILES[nic]);
      const step = `live-snapshot${nic === "ne2k" ? "" : `-${nic}`}`;
      const rawFile = join(CACHE_DIR, "stamps", `${step}.raw-bytes`);
      if (stamps.isFresh(step, key, [state])) rawBytes[nic] = readRawBytes(rawFile);
      await stamps.step(
        step,
        key,
        [state],
        async () => {
          // virtio-net at its largest MTU: the agent sets each VM's switch MTU after a restore.
          const machine = nic === "virtio" ? { netDevice: nic, mtu: VIRTIO_MAX_MTU } : {};
          rawBytes[nic] = (await takeBootSnapshot(manifest, "live", state, log, machine)).rawBytes;
          writeFileSync(rawFile, String(rawBytes[nic]));
        },
        log,
      );
    }
    const withState = assembleManifest(recipe, versions, true, rawBytes);
    writeAtomic(MANIFEST_PATH, `${JSON.stringify(withState, null, 2)}\n`);
    log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return withState;
  }
  log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return manifest;
}

/** The live guest's boot snapshot for each network card. */
const SNAPSHOT_FILES = { ne2k: P.FILES.liveState, virtio: P.FILES.liveVirtioState } as const;
type RawBytes = Record<keyof typeof SNAPSHOT_FILES, number>;

function readRawBytes(file: string): number {
  return existsSync(file) ? Number(readFileSync(file, "utf8")) : 0;
}

function assembleManifest(
  recipe: string,
  versions: Record<string, string>,
  withState: boolean,
  rawBytes?: RawBytes,
): Manifest {
  const version = v86Version();
  const common = { bios: P.FILES.bios, vga_bios: P.FILES.vgaBios, v86_version: version };
  const live: ManifestProfile = {
    ...common,
    title: "Live Linux",
    description:
      "Linux 6.1 built for this machine (Debian source) with a busybox userland, root shell on the serial console",
    memory_mb: P.LIVE_MEMORY_MB,
    machine: machineFor(P.LIVE_MEMORY_MB),
    bzimage: P.FILES.kernel,
    initrd: P.FILES.liveInitrd,
    cmdline: `${P.KERNEL_CMDLINE} hostname=${P.LIVE_HOSTNAME}`,
    ready_text: P.LIVE_PROMPT,
    agent: true,
  };
  if (withState && rawBytes?.ne2k && rawBytes.virtio) {
    const snapshot = (nic: keyof RawBytes) => ({
      file: SNAPSHOT_FILES[nic],
      raw_bytes: rawBytes[nic],
      v86_version: version,
      machine: machineFor(P.LIVE_MEMORY_MB, nic),
      prompt: P.LIVE_PROMPT,
    });
    live.state = P.FILES.liveState;
    live.snapshot = snapshot("ne2k");
    live.more_snapshots = [snapshot("virtio")];
  }
  const profiles: Record<string, ManifestProfile> = {
    live,
    installer: {
      ...common,
      title: "Installer",
      description: "Installer CD that puts a bootable system on a blank hard disk",
      memory_mb: P.INSTALLER_MEMORY_MB,
      machine: machineFor(P.INSTALLER_MEMORY_MB),
      cdrom: P.FILES.installerIso,
      hda_blank_mb: P.INSTALLER_DISK_MB,
      boot_order: P.BOOT_ORDER.cdFirst,
      ready_text: P.INSTALLER_FIRST_PROMPT,
      agent: true,
    },
    disk: {
      ...common,
      title: "Installed system",
      description:
        "Boots through the BIOS from a hard disk the installer wrote; no kernel from the host",
      memory_mb: P.INSTALLER_MEMORY_MB,
      machine: machineFor(P.INSTALLER_MEMORY_MB),
      hda_from_user: true,
      boot_order: P.BOOT_ORDER.harddiskFirst,
      ready_text: ":~# ",
      agent: true,
    },
    baremetal: {
      ...common,
      title: "Bare metal",
      description: "A boot sector program the BIOS runs with nothing under it",
      memory_mb: P.BAREMETAL_MEMORY_MB,
      machine: machineFor(P.BAREMETAL_MEMORY_MB),
      fda: P.FILES.baremetal,
      boot_order: P.BOOT_ORDER.floppyFirst,
      ready_text: P.BAREMETAL_BANNER,
      agent: false,
    },
  };
  const files: Manifest["files"] = {};
  files[VBENCH_WASM] = {
    bytes: statSync(join(IMAGES_DIR, VBENCH_WASM)).size,
    sha256: sha256File(join(IMAGES_DIR, VBENCH_WASM)),
  };
  for (const p of Object.values(profiles)) {
    const states = (p.more_snapshots ?? []).map((m) => m.file);
    for (const f of [
      p.bios,
      p.vga_bios,
      p.bzimage,
      p.initrd,
      p.cdrom,
      p.hda,
      p.fda,
      p.state,
      ...states,
    ]) {
      if (f && !files[f])
        files[f] = {
          bytes: statSync(join(IMAGES_DIR, f)).size,
          sha256: sha256File(join(IMAGES_DIR, f)),
        };
    }
  }
  return {
    format: 1,
    generated_by: "guest/build.ts (npm run images); do not edit",
    recipe_hash: recipe,
    packages: versions,
    v86_version: version,
    files,
    profiles,
    benchmark: { wasm: VBENCH_WASM, guest_path: VBENCH_GUEST_PATH },
  };
}
