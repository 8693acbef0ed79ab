/** What each guest profile is made of: the recipe's knobs in one place. */

/**
 * Kernel command line shared by every Linux guest (the kernel is guest/kernel/vlabs.config).
 * init_on_free=on zeroes freed pages so that the boot snapshot compresses; panic=0 keeps a
 * crashed guest down.
 */
export const KERNEL_CMDLINE = [
  "console=ttyS0",
  "quiet",
  "panic=0",
  "init_on_free=on",
  "tsc=reliable",
  "mitigations=off",
].join(" ");

export const LIVE_HOSTNAME = "live";
export const LIVE_MEMORY_MB = 128;
export const INSTALLER_MEMORY_MB = 128;
export const INSTALLER_DISK_MB = 64;
export const BAREMETAL_MEMORY_MB = 16;

export const BOOT_ORDER = { harddiskFirst: 0x132, cdFirst: 0x123, floppyFirst: 0x321 } as const;

/** File names inside public/images/. */
export const FILES = {
  bios: "seabios.bin",
  vgaBios: "vgabios-stdvga.bin",
  kernel: "vmlinuz",
  liveInitrd: "live-initrd.img",
  installerIso: "installer.iso",
  baremetal: "baremetal.img",
  liveState: "live-state.bin.zst",
  /** The live guest's boot snapshot on a virtio-net card (a snapshot restores only on its NIC). */
  liveVirtioState: "live-virtio-state.bin.zst",
  manifest: "manifest.json",
} as const;

export const LIVE_PROMPT = `root@${LIVE_HOSTNAME}:~# `;
export const INSTALLER_FIRST_PROMPT = "Hostname for the new system";
export const BAREMETAL_BANNER = "vlabs bare metal: no OS here";
