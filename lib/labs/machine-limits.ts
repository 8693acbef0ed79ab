import type { FieldErrors, VmConfigInput } from "../emulator/vm-config";
import type { ProfileName } from "./machine-schemas";

/*
 * What a lab's <CreateMachine> lets the learner choose in the create form: the machine's name,
 * what it may boot from, and ranges for memory and disk. Checked in the browser before the page's
 * own checks (no Zod here: the form loads it anyway, the lesson page must not).
 */

export interface Range {
  min: number;
  max: number;
}

export interface MachineFormLimits {
  /** "Boot from" choices the lab allows, in the form's order. */
  boot: ProfileName[];
  memoryMb: Range;
  /** Absent: any (or no) disk; "none": no disk; a range: a blank disk of that size is required. */
  disk?: "none" | Range;
  /** Absent: either. */
  network?: "none" | "switch";
}

/** The create form's field labels, as `fill <Field>: <value>` actions name them. */
export const FORM_FIELDS = [
  "Name",
  "Memory (MB)",
  "Boot from",
  "Network",
  "Network card",
  "Disk",
  "Disk size (MB)",
  "CPU shares",
] as const;

const RANGE = /^(\d{1,6})\s*-\s*(\d{1,6})$/;

/** "96-256" as a range, or undefined when the text is not two whole numbers, low first. */
export function parseRange(text: string): Range | undefined {
  const match = RANGE.exec(text.trim());
  if (!match) return undefined;
  const [min, max] = [Number(match[1]), Number(match[2])];
  return min <= max ? { min, max } : undefined;
}

const BOOT_WORDS: Record<ProfileName, string> = {
  live: "Live Linux",
  installer: "Installer media (CD)",
  baremetal: "Bare-metal program (floppy)",
};

function within(value: string, range: Range): boolean {
  const number = /^\d{1,6}$/.test(value.trim()) ? Number(value) : NaN;
  return number >= range.min && number <= range.max;
}

/**
 * Why this form input is not the machine the lab asks for, field by field (empty when it is).
 * The page's own checks (a valid config, the memory budget) come after these.
 */
export function checkAgainstLimits(
  name: string,
  limits: MachineFormLimits,
  input: VmConfigInput,
): FieldErrors {
  const errors: FieldErrors = {};
  if (input.name.trim() !== name)
    errors.name = `This lab's steps talk to a machine named ${name}: name it ${name}.`;
  if (!(limits.boot as string[]).includes(input.boot))
    errors.boot = `In this lab, boot from ${limits.boot.map((boot) => BOOT_WORDS[boot]).join(" or ")}.`;
  const { min, max } = limits.memoryMb;
  if (!within(input.memoryMb, limits.memoryMb))
    errors.memoryMb = `In this lab, give it ${min} to ${max} MB of memory.`;
  if (limits.disk === "none" && input.disk !== "none")
    errors.disk = "This machine needs no disk in this lab: choose None.";
  else if (limits.disk && limits.disk !== "none") {
    if (input.disk !== "blank") errors.disk = "This machine needs a disk: choose Blank disk.";
    else if (!within(input.diskSizeMb, limits.disk))
      errors.diskSizeMb = `In this lab, make the disk ${limits.disk.min} to ${limits.disk.max} MB.`;
  }
  if (limits.network && input.network !== limits.network)
    errors.network =
      limits.network === "switch"
        ? "This machine must be on the network: choose Virtual switch."
        : "This machine stays off the network in this lab: choose None.";
  return errors;
}

/** The limits in words, shown under the lab's form. */
export function describeLimits(name: string, limits: MachineFormLimits): string {
  const parts = [
    `Name ${name}`,
    `boot from ${limits.boot.map((boot) => BOOT_WORDS[boot]).join(" or ")}`,
    `${limits.memoryMb.min} to ${limits.memoryMb.max} MB of memory`,
  ];
  if (limits.disk === "none") parts.push("no disk");
  else if (limits.disk) parts.push(`a blank disk of ${limits.disk.min} to ${limits.disk.max} MB`);
  if (limits.network === "switch") parts.push("on the virtual switch");
  else if (limits.network === "none") parts.push("no network");
  return `This lab accepts: ${parts.join(", ")}.`;
}
