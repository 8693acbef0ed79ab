import { formatBytes } from "@/lib/format-bytes";
import type { VmSnapshot } from "./snapshots";
import type { VmHost } from "./vm-host";
import type { VmMachine } from "./vm-machine";

/** What a snapshot action did, in a sentence for the panel, with its time when measured. */
export interface SnapshotActionResult {
  text: string;
  ms?: number;
  fileBytes?: number;
}

/** **Snapshot**: saves the running or paused VM's state into its snapshot list. */
export async function takeSnapshot(
  machine: Pick<VmMachine, "takeSnapshot">,
): Promise<SnapshotActionResult> {
  const s = await machine.takeSnapshot();
  return {
    text: `Saved ${s.name}: ${formatBytes(s.rawBytes)}, ${formatBytes(s.data.byteLength)} ${s.format}, in ${s.takeMs} ms.`,
    ms: s.takeMs,
  };
}

/** **Restore snap-N**: puts the VM back to the snapshot (a stopped VM starts from it). */
export async function restoreSnapshot(
  machine: Pick<VmMachine, "restoreSnapshot">,
  snapshot: VmSnapshot,
): Promise<SnapshotActionResult> {
  const ms = await machine.restoreSnapshot(snapshot);
  return { text: `Restored ${snapshot.name} in ${Math.round(ms)} ms.`, ms };
}

/** **Clone snap-N**: a new VM like `machine`, started from the snapshot. Throws when refused. */
export async function cloneFromSnapshot(
  host: Pick<VmHost, "clone">,
  machine: Pick<VmMachine, "config">,
  snapshot: VmSnapshot,
): Promise<string> {
  const made = await host.clone(snapshot, machine.config);
  if (!made.ok) throw new Error(made.budget ?? Object.values(made.errors).join(" "));
  return made.machine.name;
}
