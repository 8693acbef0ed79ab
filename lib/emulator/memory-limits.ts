import type { BootMedia } from "./vm-config";

/**
 * Memory limits of a VM, apart from the rest of the VM config so that lesson pages (which check
 * lab machines) load these numbers without the create form's validation.
 */
export const MEMORY_MAX_MB = 512;
/** The live kernel's initrd sits at 64 MiB, so Linux guests need more than that. */
export const MIN_MEMORY_MB: Record<BootMedia, number> = {
  live: 80,
  installer: 80,
  disk: 32,
  baremetal: 1,
};
