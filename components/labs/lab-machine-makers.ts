"use client";

import type { CreateResult, VmHost } from "@/lib/emulator/vm-host";
import { renameVmConfig, type VmConfigInput } from "@/lib/emulator/vm-config";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import type { MachineDefinition } from "@/lib/labs/definition";
import { checkAgainstLimits } from "@/lib/labs/machine-limits";

/*
 * How a lab's machines come to be: declared ones when the lab opens, <CreateMachine> ones from the
 * learner's form, `from` ones from a snapshot of the learner's own machine.
 */

/** Whether the lab makes this machine when it opens (not the learner later). */
export function isDeclared(definition: MachineDefinition): boolean {
  return !definition.form && definition.from === undefined;
}

export async function createDeclared(
  host: VmHost,
  definitions: readonly MachineDefinition[],
): Promise<Map<string, VmMachine>> {
  const manifest = await host.manifest();
  const created = new Map<string, VmMachine>();
  for (const definition of definitions.filter(isDeclared)) {
    const memoryMb = definition.memoryMb ?? manifest.profiles[definition.profile]?.memory_mb ?? 128;
    const result = await host.create(
      {
        name: definition.name,
        memoryMb: String(memoryMb),
        boot: definition.profile,
        disk: definition.profile === "installer" ? "blank" : "none",
        diskSizeMb: String(manifest.profiles[definition.profile]?.hda_blank_mb ?? 64),
        network: definition.network,
        nic: definition.nic,
      },
      { address: definition.address },
    );
    if (!result.ok) throw new Error(`${definition.name} cannot be created: ${refusal(result)}`);
    created.set(definition.name, result.machine);
  }
  return created;
}

function refusal(result: Extract<CreateResult, { ok: false }>): string {
  return result.budget ?? Object.values(result.errors).join(" ");
}

/** The learner's form input, checked against the lab's limits and then by the page itself. */
export function createFromForm(
  host: VmHost,
  definition: MachineDefinition,
  input: VmConfigInput,
): Promise<CreateResult> {
  const errors = definition.form ? checkAgainstLimits(definition.name, definition.form, input) : {};
  if (Object.keys(errors).length > 0) return Promise.resolve({ ok: false, errors });
  return host.create(input, { address: definition.address });
}

/**
 * The next machine of the lab made from `source` that does not exist yet, started from the
 * learner's snapshot (their files, their running programs) under its own name and address.
 */
export async function cloneInto(
  host: VmHost,
  lab: readonly MachineDefinition[],
  existing: ReadonlyMap<string, VmMachine>,
  source: VmMachine,
  snapshot: VmSnapshot,
): Promise<VmMachine> {
  const made = lab.filter((definition) => definition.from === source.name);
  const next = made.find((definition) => !existing.has(definition.name));
  if (!next) {
    throw new Error(
      `${made.map((definition) => definition.name).join(", ")} already exist: Delete one to clone again.`,
    );
  }
  const named = renameVmConfig(source.config, next.name, []);
  if (!named.ok) throw new Error(Object.values(named.errors).join(" "));
  const result = await host.add(named.config, { address: next.address });
  if (!result.ok) throw new Error(`${next.name} cannot be made: ${refusal(result)}`);
  void result.machine.start({ state: snapshot });
  return result.machine;
}
