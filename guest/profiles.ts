/** What each guest profile is made of: the recipe's knobs in one place. */

/**
 * Kernel command line shared by every Linux guest. The flags after `random.trust_cpu=on` skip
 * work measured as slow under emulation (see docs/guest-images.md): crypto self-tests, ISA PnP
 * probing, kprobe tracing setup and the certificate list.
 */
export const KERNEL_CMDLINE = [
  "console=ttyS0",
  "quiet",
  "panic=0",
  "init_on_free=on",
  "tsc=reliable",
  "mitigations=off",
  "random.trust_cpu=on",
  "cryptomgr.notests",
  "noisapnp",
  "pnpbios=off",
  "initcall_blacklist=init_kprobe_trace,load_system_certificate_list",
].join(" ");

/** Drivers the guests load, dependencies resolved at build time. */
export const GUEST_MODULES = ["ne2k-pci", "ata_piix", "sd_mod", "sr_mod", "isofs", "crc32c_generic", "ext4"] as const;

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
  kernel: "vmlinuz-686",
  liveInitrd: "live-initrd.img",
  installerIso: "installer.iso",
  baremetal: "baremetal.img",
  liveState: "live-state.bin.zst",
  manifest: "manifest.json",
} as const;

export const LIVE_PROMPT = `root@${LIVE_HOSTNAME}:~# `;
export const INSTALLER_FIRST_PROMPT = "Hostname for the new system";
export const BAREMETAL_BANNER = "vlabs bare metal: no OS here";
