import type { BootMedia } from "./vm-config";

/**
 * Memory limits of a VM, apart from the rest of the VM config so that lesson pages (which check
 * lab machines) load these numbers without the create form's validation.
 */
export const MEMORY_MAX_MB = 512;
/**
 * The least memory per boot medium. live: v86 itself copies an initrd to 64 MiB (and gives any
 * guest with one at least 64 MiB), so the live guest needs that plus its initrd (2.1 MB) and room
 * to unpack it. installer: isolinux loads the kernel and the installer's initramfs from the CD,
 * and the installer runs from that unpacked initramfs: the same floor, not measured lower.
 * disk: the installed system boots its kernel from ext4 with no initramfs. baremetal: a
 * 512-byte boot sector.
 */
export const MIN_MEMORY_MB: Record<BootMedia, number> = {
  live: 80,
  installer: 80,
  disk: 32,
  baremetal: 1,
};
