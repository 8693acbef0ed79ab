"use client";

import { useEffect, useRef, useState } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { MachineDefinition } from "@/lib/labs/definition";
import { VmPanel } from "@/components/vm/vm-panel";
import { ErrorBoundary } from "@/components/site/error-boundary.client";
import { useLab } from "./lab-context";
import { createLabEnvironment } from "./lab-environment";
import { acquireLabHost, releaseLabHost } from "./lab-host";
import type { VmHost } from "@/lib/emulator/vm-host";

async function createMachines(
  host: VmHost,
  definitions: MachineDefinition[],
): Promise<Map<string, VmMachine>> {
  const manifest = await host.manifest();
  const created = new Map<string, VmMachine>();
  for (const definition of definitions) {
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
    if (!result.ok) {
      const reason = result.budget ?? Object.values(result.errors).join(" ");
      throw new Error(`${definition.name} cannot be created: ${reason}`);
    }
    created.set(definition.name, result.machine);
  }
  return created;
}

/** The lab's machines, running on the page's shared hypervisor. */
export function LabMachinesRuntime({
  rootRef,
}: {
  rootRef: React.RefObject<HTMLDivElement | null>;
}) {
  const { lab, attachMachines } = useLab();
  const [machines, setMachines] = useState<VmMachine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(new Map<string, VmMachine>());

  useEffect(() => {
    const host = acquireLabHost();
    let disposed = false;
    const remove = async () => {
      const old = [...current.current.values()];
      current.current = new Map();
      await Promise.all(old.map((machine) => host.delete(machine)));
    };
    const build = async () => {
      await remove();
      const made = await createMachines(host, lab.machines);
      if (disposed) {
        await Promise.all([...made.values()].map((machine) => host.delete(machine)));
        return;
      }
      current.current = made;
      environment.reattach();
      setMachines([...made.values()]);
      for (const definition of lab.machines) {
        if (definition.autostart) void made.get(definition.name)?.start();
      }
    };
    // eslint-disable-next-line prefer-const -- build() and the environment refer to each other
    let environment: ReturnType<typeof createLabEnvironment>;
    environment = createLabEnvironment({
      host,
      machines: () => current.current,
      root: () => rootRef.current?.closest<HTMLElement>("[data-lab-id]") ?? null,
      recreate: build,
    });
    build()
      .then(() => {
        if (!disposed) attachMachines(environment);
      })
      .catch((caught: unknown) => setError((caught as Error).message));
    return () => {
      disposed = true;
      attachMachines(null);
      environment.dispose();
      void remove().finally(releaseLabHost);
    };
  }, [lab, attachMachines, rootRef]);

  if (error) {
    return (
      <p
        role="alert"
        className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-slate-800 dark:text-red-300"
      >
        {error}
      </p>
    );
  }
  return (
    <div className="mt-4 grid gap-4">
      {machines.map((machine) => (
        <ErrorBoundary
          key={`${machine.name}-${machine.id}`}
          label={`VM ${machine.name}`}
          what={`VM ${machine.name}`}
          resetLabel="Reset this panel"
          onReset={() => machine.powerOff()}
        >
          <VmPanel machine={machine} />
        </ErrorBoundary>
      ))}
    </div>
  );
}
