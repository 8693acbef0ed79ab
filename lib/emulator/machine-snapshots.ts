import { getProfile, type Manifest } from "./manifest";
import type { VmSnapshot } from "./snapshots";
import { machineFor } from "./v86-options";
import type { VmConfig } from "./vm-config";
import type { WorkerLink } from "./worker-link";

/**
 * A running VM's snapshots as its worker makes and restores them: save_state() compressed in
 * the worker, described here for the VM's snapshot list; restore_state() with the state's MAC.
 */

export interface SnapshotOwner {
  id: string;
  config: VmConfig;
  profileName: string;
  /** The name the snapshot gets ("snap-N"). */
  nextName: () => string;
}

/** Saves the emulator's state in the worker and describes it as a snapshot of `vm`. */
export async function saveSnapshot(
  link: WorkerLink,
  vm: SnapshotOwner,
  manifest: Manifest,
): Promise<VmSnapshot> {
  const profile = getProfile(manifest, vm.profileName);
  const reply = await link.request((id) => ({ type: "save-state", id }));
  if (reply.type !== "state-saved") throw new Error(`unexpected answer ${reply.type}`);
  return {
    id: `${vm.id}-${Date.now().toString(36)}-${link.requestCount}`,
    name: vm.nextName(),
    vmName: vm.config.name,
    profile: vm.profileName,
    createdAt: Date.now(),
    rawBytes: reply.rawBytes,
    format: reply.format,
    data: reply.data,
    v86Version: manifest.v86_version,
    machine: machineFor(vm.config.memoryMb, vm.config.nic),
    prompt: profile.snapshot?.prompt ?? profile.ready_text,
    takeMs: Math.round(reply.ms),
  };
}
