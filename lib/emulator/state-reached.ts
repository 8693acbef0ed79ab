import type { VmMachine } from "./vm-machine";

type VmState = VmMachine["state"];

/** Resolves true once the VM is in `state` (at once if it is), false after `timeoutMs`. */
export function stateReached(
  machine: Pick<VmMachine, "state" | "events">,
  state: VmState,
  timeoutMs: number,
): Promise<boolean> {
  if (machine.state === state) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, timeoutMs);
    const off = machine.events.on("state", (now) => {
      if (now !== state) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}
