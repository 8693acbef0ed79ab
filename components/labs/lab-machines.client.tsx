"use client";

import { useLab } from "./lab-context";

/**
 * The lab's machines. The VM runtime (emulator, consoles) is loaded on demand and attaches a
 * handle to the lab through `attachMachines`.
 */
export function LabMachines() {
  const { lab } = useLab();
  return (
    <div className="mt-4 grid gap-3 sm:grid-cols-2">
      {lab.machines.map((machine) => (
        <div
          key={machine.name}
          className="rounded-lg border border-dashed border-slate-400 p-3 text-sm dark:border-slate-600"
        >
          <p className="font-semibold">{machine.name}</p>
          <p className="text-slate-700 dark:text-slate-300">
            {machine.profile} guest{machine.memoryMb ? `, ${machine.memoryMb} MB` : ""}
            {machine.network === "switch" ? ", on the virtual switch" : ""}
          </p>
        </div>
      ))}
    </div>
  );
}
