import { MEMORY_MAX_MB, MIN_MEMORY_MB } from "../emulator/memory-limits";
import { isSwitchAddress } from "../emulator/switch-addresses";
import { CheckSyntaxError, machinesOf, parseCheck } from "./checks";
import type { Check } from "./checks";
import { parseActions } from "./actions";
import type { SolutionAction } from "./actions";

/** Guest profiles a lab may ask for; tests keep this in step with the image recipe's manifest. */
export const KNOWN_PROFILES = ["live", "installer", "baremetal"] as const;
export type ProfileName = (typeof KNOWN_PROFILES)[number];

export const MACHINE_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface MachineDefinition {
  name: string;
  profile: ProfileName;
  memoryMb?: number;
  network: "none" | "switch";
  /** Its address on the switch, pinned so that the lab's text and checks can name it. */
  address?: string;
  autostart: boolean;
}

export interface StepDefinition {
  id: string;
  title: string;
  vm?: string;
  check: Check;
  checkSource: string;
  actions: SolutionAction[];
}

export interface LabDefinition {
  id: string;
  title: string;
  machines: MachineDefinition[];
  steps: StepDefinition[];
}

/** Attributes as written in MDX, before validation. */
export type RawAttributes = Record<string, string | undefined>;

export interface RawLab {
  attributes: RawAttributes;
  machines: RawAttributes[];
  steps: Array<{ attributes: RawAttributes; solution?: RawAttributes; solutions: number }>;
}

export class LabDefinitionError extends Error {
  name = "LabDefinitionError";
}

function fail(where: string, message: string): never {
  throw new LabDefinitionError(`${where}: ${message}`);
}

function required(attributes: RawAttributes, name: string, where: string): string {
  const value = attributes[name]?.trim();
  if (!value) fail(where, `the "${name}" attribute is required`);
  return value;
}

function id(attributes: RawAttributes, where: string): string {
  const value = required(attributes, "id", where);
  if (!ID.test(value)) fail(where, `id "${value}" must be kebab-case (a-z, 0-9, -)`);
  return value;
}

export function validateMachine(attributes: RawAttributes, where: string): MachineDefinition {
  const name = required(attributes, "name", where);
  if (!MACHINE_NAME.test(name)) fail(where, `machine name "${name}" must match ${MACHINE_NAME}`);
  const profile = required(attributes, "profile", `${where} (${name})`);
  if (!(KNOWN_PROFILES as readonly string[]).includes(profile)) {
    fail(
      `${where} (${name})`,
      `unknown profile "${profile}": use one of ${KNOWN_PROFILES.join(", ")}`,
    );
  }
  let memoryMb: number | undefined;
  if (attributes.memory !== undefined) {
    // Digits only: Number() would also take "0x80" or "1e2" and run a VM the author did not write.
    memoryMb = /^\d{1,6}$/.test(attributes.memory.trim()) ? Number(attributes.memory) : NaN;
    const min = MIN_MEMORY_MB[profile as ProfileName];
    if (!Number.isInteger(memoryMb) || memoryMb < min || memoryMb > MEMORY_MAX_MB) {
      fail(
        `${where} (${name})`,
        `memory "${attributes.memory}" must be a whole number of MiB from ${min} to ${MEMORY_MAX_MB} for a ${profile} guest`,
      );
    }
  }
  const network = attributes.network ?? "none";
  if (network !== "none" && network !== "switch")
    fail(`${where} (${name})`, `network must be "none" or "switch"`);
  const address = attributes.address?.trim();
  if (address !== undefined) {
    if (network !== "switch") fail(`${where} (${name})`, `an address needs network="switch"`);
    if (!isSwitchAddress(address))
      fail(`${where} (${name})`, `address "${address}" must be one of 10.0.0.1 to 10.0.0.254`);
  }
  const autostart = attributes.autostart ?? "false";
  if (autostart !== "true" && autostart !== "false")
    fail(`${where} (${name})`, `autostart must be "true" or "false"`);
  return {
    name,
    profile: profile as ProfileName,
    memoryMb,
    network,
    ...(address !== undefined && { address }),
    autostart: autostart === "true",
  };
}

export function validateLab(raw: RawLab, where = "Lab"): LabDefinition {
  const labId = id(raw.attributes, where);
  const here = `${where} "${labId}"`;
  const title = required(raw.attributes, "title", here);
  if (raw.machines.length === 0) fail(here, "a lab declares at least one <Machine>");
  const machines = raw.machines.map((attributes) =>
    validateMachine(attributes, `${here} <Machine>`),
  );
  unique(
    machines.map((machine) => machine.name),
    `${here}`,
    "machine name",
  );
  unique(
    machines.flatMap((machine) => machine.address ?? []),
    `${here}`,
    "machine address",
  );
  if (raw.steps.length === 0) fail(here, "a lab has at least one <Step>");
  const names = new Set(machines.map((machine) => machine.name));
  const steps = raw.steps.map((step) => validateStep(step, names, here));
  unique(
    steps.map((step) => step.id),
    here,
    "step id",
  );
  return { id: labId, title, machines, steps };
}

function validateStep(
  step: RawLab["steps"][number],
  machines: Set<string>,
  lab: string,
): StepDefinition {
  const stepId = id(step.attributes, `${lab} <Step>`);
  const where = `${lab} step "${stepId}"`;
  const title = required(step.attributes, "title", where);
  const checkSource = step.attributes.check?.trim();
  if (!checkSource)
    fail(where, `a step needs a check (check="guest: ...", "host: ..." or "console <vm>: /.../")`);
  let check: Check;
  try {
    check = parseCheck(checkSource);
  } catch (error) {
    if (error instanceof CheckSyntaxError) fail(where, `malformed check: ${error.message}`);
    throw error;
  }
  const vm =
    step.attributes.vm?.trim() ||
    (check.kind === "guest" && machines.size === 1 ? [...machines][0] : undefined);
  if (check.kind === "guest" && !vm)
    fail(where, `a guest check needs vm="<machine>" when the lab has several machines`);
  for (const name of [...machinesOf(check), ...(vm ? [vm] : [])]) {
    if (!machines.has(name)) fail(where, `no machine named "${name}" in this lab`);
  }
  if (step.solutions !== 1 || !step.solution)
    fail(where, `a step has exactly one <Solution do="...">`);
  let actions: SolutionAction[];
  try {
    actions = parseActions(required(step.solution, "do", `${where} <Solution>`));
  } catch (error) {
    if (error instanceof CheckSyntaxError) fail(`${where} <Solution>`, error.message);
    throw error;
  }
  for (const action of actions) {
    if (action.vm && !machines.has(action.vm))
      fail(`${where} <Solution>`, `no machine named "${action.vm}" in this lab`);
  }
  return { id: stepId, title, vm, check, checkSource, actions };
}

function unique(values: string[], where: string, what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) fail(where, `${what} "${value}" is used twice`);
    seen.add(value);
  }
}
