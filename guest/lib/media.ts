import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run";

export interface IsoInput {
  workDir: string;
  out: string;
  isolinuxBin: string;
  ldlinux: string;
  kernel: string;
  installerInitrd: string;
  cmdline: string;
}

/**
 * The installer CD: isolinux boots the installer; /live holds the kernel and command line the
 * installer copies to disk (the installed system needs no initramfs: its drivers are built in).
 */
export function makeInstallerIso(input: IsoInput): void {
  const tree = join(input.workDir, "iso");
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(join(tree, "isolinux"), { recursive: true });
  mkdirSync(join(tree, "live"), { recursive: true });
  mkdirSync(join(tree, "install"), { recursive: true });
  copyFileSync(input.isolinuxBin, join(tree, "isolinux", "isolinux.bin"));
  copyFileSync(input.ldlinux, join(tree, "isolinux", "ldlinux.c32"));
  writeFileSync(
    join(tree, "isolinux", "isolinux.cfg"),
    [
      "SERIAL 0 115200",
      "DEFAULT install",
      "PROMPT 0",
      "TIMEOUT 0",
      "LABEL install",
      "  KERNEL /live/vmlinuz",
      `  APPEND initrd=/install/initrd.img ${input.cmdline} hostname=installer`,
      "",
    ].join("\n"),
  );
  copyFileSync(input.kernel, join(tree, "live", "vmlinuz"));
  writeFileSync(join(tree, "live", "cmdline"), `${input.cmdline}\n`);
  copyFileSync(input.installerInitrd, join(tree, "install", "initrd.img"));
  rmSync(input.out, { force: true });
  run(
    "xorriso",
    [
      "-as",
      "mkisofs",
      "-quiet",
      "-o",
      input.out,
      "-V",
      "VLABS_INSTALL",
      "-R",
      "-J",
      "-b",
      "isolinux/isolinux.bin",
      "-c",
      "isolinux/boot.cat",
      "-no-emul-boot",
      "-boot-load-size",
      "4",
      "-boot-info-table",
      tree,
    ],
    { env: { ...process.env, SOURCE_DATE_EPOCH: "0" } },
  );
}

/** The bare-metal program: a boot sector on an otherwise empty 1.44 MB floppy. */
export function makeBaremetalFloppy(asm: string, workDir: string, out: string): void {
  const bin = join(workDir, "baremetal.bin");
  run("nasm", ["-f", "bin", "-o", bin, asm]);
  const floppy = Buffer.alloc(1474560);
  const sector = readFileSync(bin);
  if (sector.length !== 512) throw new Error(`boot sector is ${sector.length} bytes, not 512`);
  sector.copy(floppy, 0);
  writeFileSync(out, floppy);
}
