"use client";

import { hostLoadWorkers, onHostLoadChange } from "./host-load";
import type { LabMachinesHandle } from "./lab-context";
import type { LabEvent } from "@/lib/labs/engine";
import type { LabFacts } from "@/lib/labs/facts";
import { withMemoryFacts } from "@/lib/labs/memory-facts";
import type { CreateResult, VmHost } from "@/lib/emulator/vm-host";
import type { VmConfigInput } from "@/lib/emulator/vm-config";
import type { VmMachine } from "@/lib/emulator/vm-machine";

const READY_TIMEOUT_MS = 90_000;

function waitUntilRunning(machine: VmMachine): Promise<void> {
  if (machine.state === "running") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(`${machine.name} did not reach a prompt within ${READY_TIMEOUT_MS / 1000} s`),
      );
    }, READY_TIMEOUT_MS);
    const off = machine.events.on("state", (state) => {
      if (state === "running") {
        clearTimeout(timer);
        off();
        resolve();
      } else if (state === "stopped" || state === "crashed") {
        clearTimeout(timer);
        off();
        reject(new Error(`${machine.name} is ${state}: start it first`));
      }
    });
  });
}

export interface LabEnvironmentOptions {
  host: VmHost;
  /** The lab's machines by lab name; replaced when the lab is reset. */
  machines: () => ReadonlyMap<string, VmMachine>;
  /** The lab's DOM section, where buttons are pressed by their visible names. */
  root: () => HTMLElement | null;
  recreate: () => Promise<void>;
  /** Makes a <CreateMachine> machine (the runtime checks the lab's limits and adds it). */
  create: (name: string, input: VmConfigInput) => Promise<CreateResult>;
}

/** The create form inside a step, if it has one: its fields and button come before the lab's. */
function formOf(step: HTMLElement | null | undefined): HTMLElement | null {
  return step?.querySelector<HTMLElement>("form") ?? null;
}

/** Sets a form control the way typing or choosing would, so React sees the change. */
function setControl(control: HTMLInputElement | HTMLSelectElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(control), "value")?.set;
  setter?.call(control, value);
  control.dispatchEvent(
    new Event(control instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }),
  );
}

/** Adapts the VM runtime to what the lab engine and the solution actions need. */
export function createLabEnvironment(
  options: LabEnvironmentOptions,
): LabMachinesHandle & { reattach(): void; dispose(): void } {
  const listeners = new Set<(event: LabEvent) => void>();
  const emit = (event: LabEvent) => listeners.forEach((listener) => listener(event));
  const consoleStart = new Map<VmMachine, number>();
  let detach: Array<() => void> = [];

  const machine = (name: string): VmMachine => {
    const found = options.machines().get(name);
    if (!found) throw new Error(`this lab has no machine named ${name}`);
    return found;
  };

  const attach = () => {
    detach.forEach((off) => off());
    detach = [onHostLoadChange(() => emit({ kind: "stats" }))];
    for (const [name, vm] of options.machines()) {
      if (!consoleStart.has(vm)) consoleStart.set(vm, vm.consoleLength);
      detach.push(
        vm.events.on("state", () => emit({ kind: "state" })),
        vm.events.on("stats", () => emit({ kind: "stats" })),
        vm.events.on("serial", () => emit({ kind: "console", vm: name })),
        vm.snapshots.events.on("change", () => emit({ kind: "stats" })),
      );
    }
    emit({ kind: "state" });
  };
  const findButton = (scope: HTMLElement | null, label: string): HTMLButtonElement => {
    const button = [...(scope?.querySelectorAll("button") ?? [])].find(
      // By its accessible name: "Restore snap-1" is a button showing "Restore".
      (candidate) =>
        (candidate.getAttribute("aria-label") ?? candidate.textContent?.trim()) === label &&
        !candidate.disabled,
    );
    if (!button) throw new Error(`no enabled "${label}" button here right now`);
    return button;
  };

  return {
    facts(): LabFacts {
      const vms: LabFacts["vms"] = {};
      let snapshots = 0;
      for (const [name, vm] of options.machines()) {
        snapshots += vm.snapshots.all.length;
        const stats = vm.currentStats;
        vms[name] = {
          state: vm.state,
          rx: stats.netRxPackets,
          tx: stats.netTxPackets,
          mips: stats.mipsNow,
          "disk-write": stats.diskWriteBytes,
          "disk-read": stats.diskReadBytes,
          uptime: stats.uptimeS,
        };
        withMemoryFacts(vms[name], vm);
      }
      return { snapshots, hostLoad: hostLoadWorkers(), vms };
    },
    consoleText(name) {
      const vm = options.machines().get(name);
      return vm ? vm.consoleText : "";
    },
    async runGuestCheck(name, command) {
      const result = await machine(name).runCheck(command, { timeoutS: 10 });
      return { exitStatus: result.status };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async typeInto(name, text) {
      const vm = machine(name);
      await waitUntilRunning(vm);
      vm.sendText(text);
      emit({ kind: "input", vm: name });
    },
    async press(label, name, step) {
      const root = options.root();
      const scope = name
        ? (root?.querySelector<HTMLElement>(`[aria-label="VM ${name}"]`) ?? null)
        : (formOf(step) ?? root);
      findButton(scope, label).click();
    },
    async waitFor(name, pattern, timeoutMs = READY_TIMEOUT_MS) {
      await machine(name).waitForOutput(pattern, { timeoutMs });
    },
    async fill(field, value, step) {
      const scope = formOf(step) ?? options.root();
      const label = [...(scope?.querySelectorAll("label") ?? [])].find(
        (candidate) => candidate.textContent?.trim() === field,
      );
      const control = label?.htmlFor ? document.getElementById(label.htmlFor) : null;
      if (control instanceof HTMLSelectElement) {
        const option = [...control.options].find(
          (candidate) => candidate.textContent?.trim() === value,
        );
        if (!option) throw new Error(`"${field}" has no choice "${value}"`);
        setControl(control, option.value);
      } else if (control instanceof HTMLInputElement && !control.disabled) {
        setControl(control, value);
      } else throw new Error(`no field "${field}" to fill in this lab right now`);
      // Let React draw what the change enables (a disk size once a disk is chosen).
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    createMachine: (name, input) => options.create(name, input),
    host: options.host,
    async resetMachines() {
      await options.recreate();
    },
    vmMachines: () => [...options.machines().values()],
    /** Listens to the lab's current machines (after they were created or recreated). */
    reattach: attach,
    dispose() {
      detach.forEach((off) => off());
      listeners.clear();
    },
  };
}
