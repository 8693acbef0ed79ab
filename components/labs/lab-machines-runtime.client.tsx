"use client";

import { useEffect, useRef, useState } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import type { MachineDefinition } from "@/lib/labs/definition";
import { VmPanel } from "@/components/vm/vm-panel";
import { ErrorBoundary } from "@/components/site/error-boundary.client";
import { useLab } from "./lab-context";
import { createLabEnvironment } from "./lab-environment";
import { acquireLabHost, releaseLabHost } from "./lab-host";
import { cloneInto, createDeclared, createFromForm, isDeclared } from "./lab-machine-makers";
import { LAB_MACHINE_GRID, LearnerMachinePlaceholder } from "./learner-machine-placeholder";

/** What a machine's panel offers beyond its own controls: Clone (into the lab's machines) and Delete. */
interface LabMachineActions {
  clone?: (source: VmMachine) => ((snapshot: VmSnapshot) => Promise<string>) | undefined;
  remove?: (machine: VmMachine) => void;
}

/** The lab's machines, running on the page's shared hypervisor. */
export function LabMachinesRuntime({
  rootRef,
}: {
  rootRef: React.RefObject<HTMLDivElement | null>;
}) {
  const { lab, attachMachines } = useLab();
  const [machines, setMachines] = useState<ReadonlyMap<string, VmMachine>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const current = useRef(new Map<string, VmMachine>());
  const actions = useRef<LabMachineActions>({});

  useEffect(() => {
    const host = acquireLabHost();
    let disposed = false;
    const show = () => {
      environment.reattach();
      setMachines(new Map(current.current));
    };
    const add = (name: string, machine: VmMachine) => {
      current.current.set(name, machine);
      show();
    };
    const remove = async () => {
      const old = [...current.current.values()];
      current.current = new Map();
      await Promise.all(old.map((machine) => host.delete(machine)));
    };
    const build = async () => {
      await remove();
      const made = await createDeclared(host, lab.machines);
      if (disposed) {
        await Promise.all([...made.values()].map((machine) => host.delete(machine)));
        return;
      }
      current.current = made;
      show();
      for (const definition of lab.machines) {
        if (definition.autostart) void made.get(definition.name)?.start();
      }
    };
    actions.current = {
      // Clone buttons only on machines the lab makes others from.
      clone: (source) =>
        lab.machines.some((definition) => definition.from === source.name)
          ? async (snapshot) => {
              const made = await cloneInto(host, lab.machines, current.current, source, snapshot);
              add(made.name, made);
              return made.name;
            }
          : undefined,
      remove: (machine) => {
        current.current.delete(machine.name);
        show();
        void host.delete(machine);
      },
    };
    // eslint-disable-next-line prefer-const -- build() and the environment refer to each other
    let environment: ReturnType<typeof createLabEnvironment>;
    environment = createLabEnvironment({
      host,
      machines: () => current.current,
      root: () => rootRef.current?.closest<HTMLElement>("[data-lab-id]") ?? null,
      recreate: build,
      create: async (name, input) => {
        const definition = lab.machines.find((candidate) => candidate.name === name);
        if (!definition?.form) throw new Error(`this lab has no machine to create named ${name}`);
        const result = await createFromForm(host, definition, input);
        if (result.ok) add(name, result.machine);
        return result;
      },
    });
    build()
      .then(() => {
        if (!disposed) attachMachines(environment);
      })
      .catch((caught: unknown) => setError((caught as Error).message));
    return () => {
      disposed = true;
      actions.current = {};
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
    <div className={LAB_MACHINE_GRID}>
      {lab.machines.map((definition) => (
        <LabMachine
          key={definition.name}
          definition={definition}
          machine={machines.get(definition.name)}
          actions={actions}
        />
      ))}
    </div>
  );
}

function LabMachine({
  definition,
  machine,
  actions,
}: {
  definition: MachineDefinition;
  machine: VmMachine | undefined;
  actions: React.RefObject<LabMachineActions>;
}) {
  if (!machine) return <LearnerMachinePlaceholder definition={definition} />;
  return (
    <ErrorBoundary
      key={`${machine.name}-${machine.id}`}
      label={`VM ${machine.name}`}
      what={`VM ${machine.name}`}
      resetLabel="Reset this panel"
      onReset={() => machine.powerOff()}
    >
      <VmPanel
        machine={machine}
        onClone={actions.current.clone?.(machine)}
        // The learner deletes what they made; the lab's own machines come back with a lab reset.
        onDelete={isDeclared(definition) ? undefined : (vm) => actions.current.remove?.(vm)}
      />
    </ErrorBoundary>
  );
}
