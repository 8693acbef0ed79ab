import { MEMORY_MAX_MB, MIN_MEMORY_MB } from "../emulator/memory-limits";
import { isSwitchAddress } from "../emulator/switch-addresses";
import { DISK_MAX_MB } from "../emulator/vm-config";
import { z } from "../zod";
import { element, flag, machineNameAttribute, afterFields } from "./elements";
import { parseRange } from "./machine-limits";
import type { MachineFormLimits } from "./machine-limits";

/*
 * The schemas of a lab's machines: <Machine> (declared by the lesson, or made from another
 * machine's snapshot with `from`) and <CreateMachine> (made by the learner with the create form).
 */

/** Guest profiles a lab may ask for; tests keep this in step with the image recipe's manifest. */
export const KNOWN_PROFILES = ["live", "installer", "baremetal"] as const;
export type ProfileName = (typeof KNOWN_PROFILES)[number];

export interface MachineDefinition {
  name: string;
  profile: ProfileName;
  memoryMb?: number;
  network: "none" | "switch";
  /** Its address on the switch, pinned so that the lab's text and checks can name it. */
  address?: string;
  /** Its network card: virtio-net unless the lab asks for an NE2000 (`nic="ne2k"`). */
  nic?: "virtio" | "ne2k";
  autostart: boolean;
  /** Made when the learner presses Clone on one of this machine's snapshots (`from="node1"`). */
  from?: string;
  /** Made by the learner with the lab's create form (`<CreateMachine>`), within these limits. */
  form?: MachineFormLimits;
}

const machineElement = element(
  {
    name: machineNameAttribute,
    profile: z.enum(KNOWN_PROFILES, {
      error: (issue) =>
        issue.input === undefined
          ? "is required"
          : `unknown profile "${String(issue.input)}": use one of ${KNOWN_PROFILES.join(", ")}`,
    }),
    memory: z.string().optional(),
    network: z.enum(["none", "switch"], { error: 'must be "none" or "switch"' }).optional(),
    address: z.string().trim().optional(),
    nic: z.enum(["virtio", "ne2k"], { error: 'must be "virtio" or "ne2k"' }).optional(),
    autostart: flag.optional(),
    from: z.string().trim().optional(),
  },
  {},
);
export const machineSchema = machineElement.pipe(
  afterFields(machineElement)
    .superRefine(({ attributes }, context) => {
      const { memory, profile, address, network } = attributes;
      if (memory !== undefined) {
        // Digits only: Number() would also take "0x80" or "1e2" and run a VM the author did not write.
        const mb = /^\d{1,6}$/.test(memory.trim()) ? Number(memory) : NaN;
        const min = MIN_MEMORY_MB[profile];
        if (!Number.isInteger(mb) || mb < min || mb > MEMORY_MAX_MB) {
          context.addIssue({
            code: "custom",
            path: ["attributes", "memory"],
            message: `"${memory}" must be a whole number of MiB from ${min} to ${MEMORY_MAX_MB} for a ${profile} guest`,
          });
        }
      }
      const message = addressProblem(address, network);
      if (message) context.addIssue({ code: "custom", path: ["attributes", "address"], message });
    })
    .transform(({ attributes }): MachineDefinition => {
      const { name, profile, memory, network = "none", address, nic, autostart, from } = attributes;
      return {
        name,
        profile,
        memoryMb: memory === undefined ? undefined : Number(memory),
        network,
        ...(address !== undefined && { address }),
        ...(nic !== undefined && { nic }),
        autostart: autostart === "true",
        ...(from !== undefined && { from }),
      };
    }),
);

/** Why a pinned address cannot be used, if it cannot. */
function addressProblem(address: string | undefined, network: string | undefined) {
  if (address === undefined) return undefined;
  if (network !== "switch") return 'an address needs network="switch"';
  return isSwitchAddress(address)
    ? undefined
    : `"${address}" must be one of 10.0.0.1 to 10.0.0.254`;
}

const createMachineElement = element(
  {
    name: machineNameAttribute,
    profiles: z.string().trim().optional(),
    memory: z.string().trim().optional(),
    disk: z.string().trim().optional(),
    network: z.enum(["none", "switch"], { error: 'must be "none" or "switch"' }).optional(),
    address: z.string().trim().optional(),
  },
  {},
);

/**
 * `<CreateMachine name="web1" profiles="installer" memory="96-256" disk="16-128" network="switch" />`:
 * a machine of the lab the learner makes with the create form, within these limits.
 */
export const createMachineSchema = createMachineElement.pipe(
  afterFields(createMachineElement).transform(({ attributes }, context): MachineDefinition => {
    const issue = (field: string, message: string) =>
      context.addIssue({ code: "custom", path: ["attributes", field], message });
    const words = attributes.profiles?.split(",").map((word) => word.trim()) ?? [...KNOWN_PROFILES];
    const unknown = words.filter((word) => !(KNOWN_PROFILES as readonly string[]).includes(word));
    if (unknown.length > 0 || words.length === 0)
      issue("profiles", `use a comma-separated list of ${KNOWN_PROFILES.join(", ")}`);
    const boot = words.filter((word): word is ProfileName =>
      (KNOWN_PROFILES as readonly string[]).includes(word),
    );
    const floor = Math.max(...boot.map((profile) => MIN_MEMORY_MB[profile]));
    const memoryMb = attributes.memory
      ? parseRange(attributes.memory)
      : { min: floor, max: MEMORY_MAX_MB };
    if (!memoryMb || memoryMb.min < floor || memoryMb.max > MEMORY_MAX_MB)
      issue(
        "memory",
        `must read "MIN-MAX" in MiB, within ${floor}-${MEMORY_MAX_MB} for these profiles`,
      );
    let disk: MachineFormLimits["disk"];
    if (attributes.disk !== undefined) {
      disk = attributes.disk === "none" ? "none" : parseRange(attributes.disk);
      if (!disk || (disk !== "none" && (disk.min < 1 || disk.max > DISK_MAX_MB)))
        issue("disk", `must be "none" or "MIN-MAX" in MiB, within 1-${DISK_MAX_MB}`);
    }
    const { network, address, name } = attributes;
    const problem = addressProblem(address, network);
    if (problem) issue("address", problem);
    const form: MachineFormLimits = {
      boot,
      memoryMb: memoryMb ?? { min: floor, max: MEMORY_MAX_MB },
      ...(disk !== undefined && { disk }),
      ...(network !== undefined && { network }),
    };
    return {
      name,
      profile: boot[0] ?? "live",
      network: network ?? "none",
      ...(address !== undefined && { address }),
      autostart: false,
      form,
    };
  }),
);

/**
 * Why `machine` cannot be made from the machine its `from` names: that machine must be another
 * machine of the lab, not made from one itself, and (when the lesson declares it) the same machine,
 * since a snapshot only starts on the machine it was taken on.
 */
export function cloneProblem(
  machine: MachineDefinition,
  machines: readonly MachineDefinition[],
): string | undefined {
  if (machine.from === undefined) return undefined;
  const source = machines.find((candidate) => candidate.name === machine.from);
  if (!source || source === machine) return `"${machine.from}" is not another machine of this lab`;
  if (source.from !== undefined)
    return `${source.name} is itself made from ${source.from}: name ${source.from}`;
  if (machine.autostart)
    return "a machine made from another cannot autostart: it starts from a snapshot";
  if (source.form) return undefined;
  if (
    source.profile !== machine.profile ||
    source.memoryMb !== machine.memoryMb ||
    source.network !== machine.network
  )
    return `must have ${source.name}'s profile, memory and network (a snapshot starts only on its own machine)`;
  return undefined;
}
