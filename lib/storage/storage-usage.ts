import { storedBytesOf } from "./disk-store";
import { checkDiskManifest, checkSnapshotRecord, checkVmRecord } from "./machine-records";
import type { Database } from "./machines-db";
import { binaryBytes } from "./quarantine-store";
import { DISKS, QUARANTINE, SNAPSHOTS, VMS } from "./store-names";

/** What the playground's machines take in browser storage, per VM and in quarantine. */

export interface VmUsage {
  vmId: string;
  /** The VM's own record is stored (it comes back after a reload). */
  stored: boolean;
  /** Its stored disk holds an installed system (a boot sector). */
  installed: boolean;
  diskBytes: number;
  snapshotBytes: number;
}

export interface StorageUsage {
  vms: VmUsage[];
  quarantineBytes: number;
  totalBytes: number;
}

/** Bytes stored per VM (disk chunks, snapshot bytes) and in quarantine. */
export async function storageUsage(database: Database): Promise<StorageUsage> {
  const tx = database.transaction([VMS, DISKS, SNAPSHOTS, QUARANTINE], "readonly");
  const [vmKeys, vmValues, diskKeys, disks, snapshots, quarantined] = await Promise.all([
    tx.objectStore(VMS).getAllKeys(),
    tx.objectStore(VMS).getAll(),
    tx.objectStore(DISKS).getAllKeys(),
    tx.objectStore(DISKS).getAll(),
    tx.objectStore(SNAPSHOTS).getAll(),
    tx.objectStore(QUARANTINE).getAll(),
    tx.done,
  ]);
  const byVm = new Map<string, VmUsage>();
  const usageOf = (vmId: string) => {
    let u = byVm.get(vmId);
    if (!u)
      byVm.set(
        vmId,
        (u = { vmId, stored: false, installed: false, diskBytes: 0, snapshotBytes: 0 }),
      );
    return u;
  };
  vmKeys.forEach((key, i) => {
    const vm = checkVmRecord(vmValues[i]);
    Object.assign(usageOf(String(key)), {
      stored: true,
      installed: vm.ok && vm.value.diskInstalled,
    });
  });
  diskKeys.forEach((key, i) => {
    const manifest = checkDiskManifest(disks[i]);
    if (manifest.ok) usageOf(String(key)).diskBytes += storedBytesOf(manifest.value);
  });
  for (const value of snapshots) {
    const meta = checkSnapshotRecord(value);
    if (meta.ok) usageOf(meta.value.vmId).snapshotBytes += meta.value.dataBytes;
  }
  const quarantineBytes = quarantined.reduce<number>(
    (sum, entry) => sum + binaryBytes(entry, 0),
    0,
  );
  const vms = [...byVm.values()];
  const totalBytes = vms.reduce((sum, u) => sum + u.diskBytes + u.snapshotBytes, quarantineBytes);
  return { vms, quarantineBytes, totalBytes };
}
