import type { VmHost } from "../emulator/vm-host";
import type { VmMachine } from "../emulator/vm-machine";
import { cpuSettingsOf, type InstanceType } from "./instance-types";
import type { CloudImage } from "./images";
import type { LaunchErrors } from "./launch-input";

/**
 * A stopped VM for an instance of this image and type on the page's switch (at `address` when it
 * is free), its CPU shares set; or why the page cannot hold it, in the console's words.
 */
export async function createInstanceVm(
  host: VmHost,
  name: string,
  image: CloudImage,
  type: InstanceType,
  address: string | undefined,
): Promise<
  { ok: true; machine: VmMachine; message: string } | { ok: false; errors: LaunchErrors }
> {
  const nic = image.snapshot?.machine.net_device === "ne2k" ? "ne2k" : "virtio";
  const made = await host.create(
    {
      name,
      memoryMb: String(type.memoryMb),
      boot: image.profile,
      disk: "none",
      diskSizeMb: "",
      network: "switch",
      nic,
    },
    { address },
  );
  if (!made.ok) {
    if (made.budget)
      return {
        ok: false,
        errors: {
          capacity: `Insufficient capacity: this page cannot hold another ${type.name} now. ${made.budget} Stop or terminate an instance, or pick a smaller type.`,
        },
      };
    return { ok: false, errors: { name: made.errors.name ?? Object.values(made.errors)[0] } };
  }
  const cpuProblems = host.configureCpu(made.machine, cpuSettingsOf(type));
  const message = cpuProblems.length ? `CPU shares not applied: ${cpuProblems.join("; ")}` : "";
  return { ok: true, machine: made.machine, message };
}
