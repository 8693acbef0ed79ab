"use client";

import { CreateVmForm } from "@/components/vm/create-vm-form";
import { describeLimits } from "@/lib/labs/machine-limits";
import { useLab } from "./lab-context";

/**
 * A lab's <CreateMachine>: the playground's create form, making the lab's machine `name` within
 * the limits the lesson set. The machine's panel appears with the lab's others.
 */
export function CreateMachineForm({ name }: { name: string }) {
  const { lab, machines } = useLab();
  const definition = lab.machines.find((machine) => machine.name === name);
  if (!definition?.form) return null;
  const limits = describeLimits(name, definition.form);
  return (
    <div className="grid gap-2" data-create-machine={name}>
      {machines ? (
        <CreateVmForm
          create={(input) => machines.createMachine(name, input)}
          bootChoices={definition.form.boot}
        />
      ) : (
        <p className="text-sm">The form appears once the lab&apos;s machines are loaded…</p>
      )}
      <p className="text-sm text-slate-700 dark:text-slate-300">{limits}</p>
    </div>
  );
}
