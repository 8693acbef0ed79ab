"use client";

import { createContext, useContext } from "react";
import type { CreateResult, VmHost } from "@/lib/emulator/vm-host";
import type { VmConfigInput } from "@/lib/emulator/vm-config";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { LabDefinition } from "@/lib/labs/definition";
import type { LabEnvironment } from "@/lib/labs/engine";

/** What the lab's machine area offers the steps: the running machines and ways to act on them. */
export interface LabMachinesHandle extends LabEnvironment {
  /** Types text into a machine's console as if the learner did. */
  typeInto(vm: string, text: string): Promise<void>;
  /** Presses a button of a machine's panel (vm given), or of the step's form or the lab, by name. */
  press(button: string, vm?: string, step?: HTMLElement | null): Promise<void>;
  /** Waits until a machine's console shows a pattern. */
  waitFor(vm: string, pattern: RegExp, timeoutMs?: number): Promise<void>;
  /**
   * Sets a field of the lab's create form by its label (a choice by its visible text): the form
   * in `step` when it has one (a lab may have several), else the lab's.
   */
  fill(field: string, value: string, step?: HTMLElement | null): Promise<void>;
  /** Makes the lab's <CreateMachine name> machine from the form's input, within its limits. */
  createMachine(name: string, input: VmConfigInput): Promise<CreateResult>;
  /** Powers off and recreates every machine of the lab. */
  resetMachines(): Promise<void>;
  /** The page's hypervisor, which the page's labs share (the host picture shows it). */
  host: VmHost;
  /** The lab's machines themselves, for panels that measure them (the overhead benchmark). */
  vmMachines?(): readonly VmMachine[];
}

export interface LabContextValue {
  lab: LabDefinition;
  labKey: string;
  done: ReadonlySet<string>;
  machines: LabMachinesHandle | null;
  attachMachines(handle: LabMachinesHandle | null): void;
  resetLab(): Promise<void>;
  /** Adds work the lab's Reset does too (a cloud console clears its cloud); returns the removal. */
  onReset(hook: () => Promise<void>): () => void;
  notice?: string;
}

export const LabContext = createContext<LabContextValue | null>(null);

export function useLab(): LabContextValue {
  const value = useContext(LabContext);
  if (!value) throw new Error("lab components must be inside a <Lab>");
  return value;
}
