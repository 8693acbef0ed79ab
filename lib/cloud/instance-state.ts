import type { VmState } from "../emulator/vm-machine";

/**
 * An instance's state as a cloud console shows it, from the real VM's state and what the console
 * asked of it: pending (booting), running, stopping (saving and powering off), stopped,
 * terminated (the VM is gone).
 */

export const INSTANCE_STATES = ["pending", "running", "stopping", "stopped", "terminated"] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** What the console is doing to the instance, beyond what the VM reports. */
export type Intent = "none" | "starting" | "stopping" | "terminating" | "terminated";

export function instanceState(vm: VmState, intent: Intent): InstanceState {
  if (intent === "terminated") return "terminated";
  // A kept instance's new VM is being made (after a reload).
  if (intent === "starting") return "pending";
  if (intent === "stopping" || intent === "terminating")
    return vm === "stopped" || vm === "crashed" ? "stopped" : "stopping";
  switch (vm) {
    case "booting":
      return "pending";
    case "running":
    case "paused":
      return "running";
    case "stopped":
    case "crashed":
      return "stopped";
  }
}

/** Which actions the console offers in a state. */
export function allowedActions(state: InstanceState): {
  stop: boolean;
  start: boolean;
  reboot: boolean;
  terminate: boolean;
  connect: boolean;
  createImage: boolean;
} {
  return {
    stop: state === "running",
    start: state === "stopped",
    reboot: state === "running",
    terminate: state !== "terminated" && state !== "stopping",
    connect: state === "running" || state === "pending",
    createImage: state === "running",
  };
}
