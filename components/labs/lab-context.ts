"use client";

import { createContext, useContext } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { LabDefinition } from "@/lib/labs/definition";
import type { LabEnvironment } from "@/lib/labs/engine";

/** What the lab's machine area offers the steps: the running machines and ways to act on them. */
export interface LabMachinesHandle extends LabEnvironment {
  /** Types text into a machine's console as if the learner did. */
  typeInto(vm: string, text: string): Promise<void>;
  /** Presses a button of a machine's panel (vm given) or of the lab, by its visible name. */
  press(button: string, vm?: string): Promise<void>;
  /** Waits until a machine's console shows a pattern. */
  waitFor(vm: string, pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Powers off and recreates every machine of the lab. */
  resetMachines(): Promise<void>;
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
  notice?: string;
}

export const LabContext = createContext<LabContextValue | null>(null);

export function useLab(): LabContextValue {
  const value = useContext(LabContext);
  if (!value) throw new Error("lab components must be inside a <Lab>");
  return value;
}
