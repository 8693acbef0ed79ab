import type { VmStateName } from "./checks";
import { compare } from "./checks";
import type { Check, LabFact } from "./checks";

/** What the page knows about one machine of a lab. */
export interface VmFacts {
  state: VmStateName;
  rx: number;
  tx: number;
  mips: number;
  "disk-write": number;
  "disk-read": number;
  uptime: number;
  /** MB the host holds for it, in use now, in its balloon; its pages identical to another VM's. */
  "held-mb"?: number;
  "used-mb"?: number;
  "balloon-mb"?: number;
  "shared-pages"?: number;
}

/** What the page knows about a lab's machines, for `host:` checks. */
export interface LabFacts {
  snapshots: number;
  /** Busy loops the page runs outside any VM ("Load the host"). */
  hostLoad: number;
  vms: Record<string, VmFacts | undefined>;
}

export function labFact(facts: LabFacts, fact: LabFact): number {
  const machines = Object.values(facts.vms).filter((vm): vm is VmFacts => vm !== undefined);
  switch (fact) {
    case "running":
      return machines.filter((vm) => vm.state === "running").length;
    case "machines":
      return machines.length;
    case "crashed":
      return machines.filter((vm) => vm.state === "crashed").length;
    case "snapshots":
      return facts.snapshots;
    case "host-load":
      return facts.hostLoad;
  }
}

/** Evaluates a `host:` check; a machine that does not exist yet counts as stopped with zeros. */
export function evaluateHostCheck(
  check: Extract<Check, { kind: "host" }>,
  facts: LabFacts,
): boolean {
  if (!("vm" in check)) return compare(labFact(facts, check.fact), check.op, check.value);
  const vm = facts.vms[check.vm];
  const actual = vm ? (vm[check.fact] ?? 0) : check.fact === "state" ? "stopped" : 0;
  return compare(actual, check.op, check.value);
}
