import { MEMORY_MAX_MB, MIN_MEMORY_MB } from "./memory-limits";

/**
 * What a learner asks for when creating a VM, and the checks that keep a bad request from
 * creating anything. Pure: no emulator, no DOM.
 */

export const BOOT_MEDIA = ["live", "installer", "disk", "baremetal"] as const;
export type BootMedia = (typeof BOOT_MEDIA)[number];

export const BOOT_MEDIA_LABELS: Record<BootMedia, string> = {
  live: "Live Linux (boots to a shell)",
  installer: "Installer media (CD)",
  disk: "Its own disk",
  baremetal: "Bare-metal program (floppy)",
};

export type NetworkChoice = "none" | "switch";
export type DiskChoice = { kind: "none" } | { kind: "blank"; sizeMb: number };

/** The fields of a VM's config, checked or not (a stored record's, say, before its checks). */
export interface VmConfigFields {
  name: string;
  memoryMb: number;
  boot: BootMedia;
  disk: DiskChoice;
  network: NetworkChoice;
}

declare const validated: unique symbol;
/**
 * A config the checks below accepted. Only validateVmConfig and renameVmConfig make one, so a
 * VmConfig is valid wherever it goes and nothing needs to check it again.
 */
export type VmConfig = Readonly<VmConfigFields> & { readonly [validated]: true };

/** What the form holds: strings as typed. */
export interface VmConfigInput {
  name: string;
  memoryMb: string;
  boot: string;
  disk: string;
  diskSizeMb: string;
  network: string;
}

export type VmConfigField = "name" | "memoryMb" | "boot" | "disk" | "diskSizeMb" | "network";
export type FieldErrors = Partial<Record<VmConfigField, string>>;
export type ValidationResult = { ok: true; config: VmConfig } | { ok: false; errors: FieldErrors };

export const NAME_MAX = 24;
export const DISK_MAX_MB = 512;
export { MEMORY_MAX_MB, MIN_MEMORY_MB };
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A form gives strings; anything else (a damaged record, a script) counts as left empty. */
function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function parseWholeNumber(value: string): number | undefined {
  const t = value.trim();
  if (!/^\d{1,7}$/.test(t)) return undefined;
  return Number(t);
}

/** What is wrong with a VM name (already trimmed), if anything; names are unique ignoring case. */
export function nameError(name: string, existingNames: readonly string[]): string | undefined {
  if (name === "") return "Give the VM a name.";
  if (name.length > NAME_MAX) return `Use at most ${NAME_MAX} characters.`;
  if (!NAME_PATTERN.test(name))
    return "Use letters, digits, dot, dash or underscore, starting with a letter or digit.";
  if (existingNames.some((n) => n.toLowerCase() === name.toLowerCase()))
    return `A VM named "${name}" already exists; pick another name.`;
  return undefined;
}

export function validateVmConfig(
  input: VmConfigInput,
  existingNames: readonly string[],
): ValidationResult {
  const errors: FieldErrors = {};
  const name = text(input.name).trim();
  const badName = nameError(name, existingNames);
  if (badName) errors.name = badName;

  const boot = (BOOT_MEDIA as readonly string[]).includes(input.boot)
    ? (input.boot as BootMedia)
    : undefined;
  if (!boot) errors.boot = "Choose what the VM boots from.";

  const memoryMb = parseWholeNumber(text(input.memoryMb));
  const minMemory = MIN_MEMORY_MB[boot ?? "live"];
  if (memoryMb === undefined)
    errors.memoryMb = "Memory must be a whole number of MB, for example 128.";
  else if (memoryMb < minMemory || memoryMb > MEMORY_MAX_MB)
    errors.memoryMb = `Memory must be between ${minMemory} and ${MEMORY_MAX_MB} MB.`;

  let disk: DiskChoice = { kind: "none" };
  if (input.disk === "blank") {
    const size = parseWholeNumber(text(input.diskSizeMb));
    if (size === undefined)
      errors.diskSizeMb = "Disk size must be a whole number of MB, for example 64.";
    else if (size < 1 || size > DISK_MAX_MB)
      errors.diskSizeMb = `Disk size must be between 1 and ${DISK_MAX_MB} MB (the disk lives in this page's memory).`;
    else disk = { kind: "blank", sizeMb: size };
  } else if (input.disk !== "none") {
    errors.disk = "Choose no disk or a blank disk.";
  }
  if (
    !errors.disk &&
    !errors.diskSizeMb &&
    (boot === "installer" || boot === "disk") &&
    disk.kind === "none"
  ) {
    errors.disk =
      boot === "installer"
        ? "The installer needs a blank disk to install onto."
        : "Booting from its own disk needs a disk.";
  }

  const network =
    input.network === "none" || input.network === "switch" ? input.network : undefined;
  if (!network) errors.network = "Choose no network or the virtual switch.";

  if (Object.keys(errors).length > 0 || !boot || memoryMb === undefined || !network)
    return { ok: false, errors };
  return { ok: true, config: { name, memoryMb, boot, disk, network } as VmConfig };
}

/** A valid config under another name (a clone's): only the name is checked. */
export function renameVmConfig(
  config: VmConfig,
  name: string,
  existingNames: readonly string[],
): ValidationResult {
  const error = nameError(name, existingNames);
  if (error) return { ok: false, errors: { name: error } };
  return { ok: true, config: { ...config, name } };
}

/** Size of the VM's own disk in MB, 0 without one. */
export function diskMb(config: VmConfigFields): number {
  return config.disk.kind === "blank" ? config.disk.sizeMb : 0;
}

export function diskBytes(config: VmConfigFields): number {
  return diskMb(config) * 1024 * 1024;
}

/** A config as the create form would hold it (validateVmConfig gives the same config back). */
export function vmConfigInput(config: VmConfigFields): VmConfigInput {
  return {
    name: config.name,
    memoryMb: String(config.memoryMb),
    boot: config.boot,
    disk: config.disk.kind,
    diskSizeMb: config.disk.kind === "blank" ? String(config.disk.sizeMb) : "",
    network: config.network,
  };
}
