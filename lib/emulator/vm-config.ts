import { validate, z } from "../zod";
import { MEMORY_MAX_MB, MIN_MEMORY_MB } from "./memory-limits";

/**
 * What a learner asks for when creating a VM, and the checks (Zod schemas, a message per field)
 * that keep a bad request from creating anything. Pure: no emulator, no DOM.
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

/** The network card: paravirtual virtio-net (the default) or the emulated NE2000. */
export const NICS = ["virtio", "ne2k"] as const;
export type NicChoice = (typeof NICS)[number];
export const NIC_LABELS: Record<NicChoice, string> = {
  virtio: "virtio-net (paravirtual)",
  ne2k: "NE2000 (emulated)",
};
export const DEFAULT_NIC: NicChoice = "virtio";
export type DiskChoice = { kind: "none" } | { kind: "blank"; sizeMb: number };

/** The fields of a VM's config, checked or not (a stored record's, say, before its checks). */
export interface VmConfigFields {
  name: string;
  memoryMb: number;
  boot: BootMedia;
  disk: DiskChoice;
  network: NetworkChoice;
  nic: NicChoice;
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
  /** Left out or empty: the default card (virtio-net). */
  nic?: string;
}

export type VmConfigField =
  "name" | "memoryMb" | "boot" | "disk" | "diskSizeMb" | "network" | "nic";
export type FieldErrors = Partial<Record<VmConfigField, string>>;
export type ValidationResult = { ok: true; config: VmConfig } | { ok: false; errors: FieldErrors };

export const NAME_MAX = 24;
export const DISK_MAX_MB = 512;
/** The memory limits live in memory-limits.ts (lesson pages load them without this file). */
export { MEMORY_MAX_MB, MIN_MEMORY_MB };
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A form gives strings; anything else (a damaged record, a script) counts as left empty. */
const formText = z.unknown().transform((value) => (typeof value === "string" ? value.trim() : ""));

/** A whole number as typed (digits only: not 1e2, 0x80 or 12.0). */
function wholeNumber(notWhole: string, min: number, max: number, outOfRange: string) {
  return formText
    .pipe(z.string().regex(/^\d{1,7}$/, notWhole))
    .transform(Number)
    .pipe(z.number().min(min, outOfRange).max(max, outOfRange));
}

function nameRules(existingNames: readonly string[]) {
  return z
    .string()
    .min(1, "Give the VM a name.")
    .max(NAME_MAX, `Use at most ${NAME_MAX} characters.`)
    .regex(
      NAME_PATTERN,
      "Use letters, digits, dot, dash or underscore, starting with a letter or digit.",
    )
    .refine((name) => !existingNames.some((n) => n.toLowerCase() === name.toLowerCase()), {
      error: ({ input }) => `A VM named "${String(input)}" already exists; pick another name.`,
    });
}

const bootField = z.enum(BOOT_MEDIA, { error: "Choose what the VM boots from." });
const diskField = z.enum(["none", "blank"], { error: "Choose no disk or a blank disk." });
const networkField = z.enum(["none", "switch"], {
  error: "Choose no network or the virtual switch.",
});
const nicField = formText
  .transform((value) => value || DEFAULT_NIC)
  .pipe(z.enum(NICS, { error: "Choose virtio-net or NE2000 as the network card." }));
const memoryField = (minMb: number) =>
  wholeNumber(
    "Memory must be a whole number of MB, for example 128.",
    minMb,
    MEMORY_MAX_MB,
    `Memory must be between ${minMb} and ${MEMORY_MAX_MB} MB.`,
  );
const diskSizeField = wholeNumber(
  "Disk size must be a whole number of MB, for example 64.",
  1,
  DISK_MAX_MB,
  `Disk size must be between 1 and ${DISK_MAX_MB} MB (the disk lives in this page's memory).`,
);

/** What is wrong with a VM name (already trimmed), if anything; names are unique ignoring case. */
export function nameError(name: string, existingNames: readonly string[]): string | undefined {
  const result = validate(nameRules(existingNames), name);
  return result.ok ? undefined : result.issues[0]?.message;
}

/**
 * Checks a create form's input; every field with a problem gets its first message. Fields are
 * checked one by one because some rules depend on another field's value (the least memory on
 * what the VM boots, the disk size only for a blank disk).
 */
export function validateVmConfig(
  input: VmConfigInput,
  existingNames: readonly string[],
): ValidationResult {
  const errors: FieldErrors = {};
  const field = <S extends z.ZodType>(
    key: VmConfigField,
    schema: S,
    value: unknown,
  ): z.output<S> | undefined => {
    const result = validate(schema, value);
    if (result.ok) return result.value;
    errors[key] ??= result.issues[0]?.message;
    return undefined;
  };
  const name = field("name", formText.pipe(nameRules(existingNames)), input.name);
  const boot = field("boot", bootField, input.boot);
  const memoryMb = field("memoryMb", memoryField(MIN_MEMORY_MB[boot ?? "live"]), input.memoryMb);
  const diskKind = field("disk", diskField, input.disk);
  const sizeMb =
    diskKind === "blank" ? field("diskSizeMb", diskSizeField, input.diskSizeMb) : undefined;
  const disk: DiskChoice = sizeMb === undefined ? { kind: "none" } : { kind: "blank", sizeMb };
  if (diskKind === "none" && (boot === "installer" || boot === "disk"))
    errors.disk =
      boot === "installer"
        ? "The installer needs a blank disk to install onto."
        : "Booting from its own disk needs a disk.";
  const network = field("network", networkField, input.network);
  const nic = field("nic", nicField, input.nic);

  if (
    Object.keys(errors).length > 0 ||
    name === undefined ||
    !boot ||
    memoryMb === undefined ||
    !network ||
    !nic
  )
    return { ok: false, errors };
  return { ok: true, config: { name, memoryMb, boot, disk, network, nic } as VmConfig };
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
    nic: config.nic,
  };
}
