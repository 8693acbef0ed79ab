import type { VmSnapshot } from "../emulator/snapshots";
import { sha256Hex } from "./disk-chunks";
import {
  checkDiskManifest,
  checkSnapshotData,
  checkSnapshotRecord,
  checkVmRecord,
  snapshotOf,
  type DiskManifest,
  type VmRecord,
} from "./machine-records";
import { DISKS, SNAPSHOT_DATA, SNAPSHOTS, VMS } from "./store-names";

/**
 * Sorts what the playground's database held into machines that load and records to set aside,
 * each with its reason. Reads nothing itself: MachineStore hands it every store's keys and
 * values, then writes the migrations and quarantine moves it returns.
 */

export interface StoredMachine {
  record: VmRecord;
  /** The stored disk's manifest (none until its first save). */
  disk: DiskManifest | undefined;
  snapshots: VmSnapshot[];
}

/** Records to move to quarantine as one entry. */
export interface Move {
  what: string;
  reason: string;
  keys: { store: string; key: IDBValidKey }[];
  /** Also move every chunk of this VM's disk. */
  chunksOf?: string;
}

/** One object store's keys and values, in the same order. */
export type StoreContents = [IDBValidKey[], unknown[]];

export interface LoadedStores {
  vms: StoreContents;
  disks: StoreContents;
  snapshots: StoreContents;
  snapshotData: StoreContents;
}

export interface SortedLoad {
  machines: Map<string, StoredMachine>;
  /** Records of an older schema, migrated: to be written back. */
  migrated: VmRecord[];
  moves: Move[];
}

const NOT_STORED = "its VM's record is not stored (or was set aside)";

export async function sortLoaded(
  stores: LoadedStores,
  env: { v86Version: string },
): Promise<SortedLoad> {
  const sorted: SortedLoad = { machines: new Map(), migrated: [], moves: [] };
  sortVms(stores.vms, sorted);
  sortDisks(stores.disks, sorted);
  await sortSnapshots(stores.snapshots, stores.snapshotData, sorted, env);
  return sorted;
}

function sortVms([keys, values]: StoreContents, { machines, migrated, moves }: SortedLoad): void {
  keys.forEach((key, i) => {
    const checked = checkVmRecord(values[i]);
    const where = { what: `VM record ${String(key)}`, keys: [{ store: VMS, key }] };
    if (!checked.ok) moves.push({ ...where, reason: checked.reason });
    else if (checked.value.id !== key)
      moves.push({ ...where, reason: `its id says ${checked.value.id}` });
    else {
      machines.set(checked.value.id, { record: checked.value, disk: undefined, snapshots: [] });
      if (checked.migrated) migrated.push(checked.value);
    }
  });
}

function sortDisks([keys, values]: StoreContents, { machines, moves }: SortedLoad): void {
  keys.forEach((key, i) => {
    const vmId = String(key);
    const checked = checkDiskManifest(values[i]);
    const owner = machines.get(vmId);
    let reason: string | undefined;
    if (!checked.ok) reason = checked.reason;
    else if (checked.value.vmId !== vmId) reason = `it names VM ${checked.value.vmId}`;
    else if (!owner) reason = NOT_STORED;
    if (reason !== undefined || !checked.ok || !owner)
      moves.push({
        what: `disk of ${owner?.record.config.name ?? vmId}`,
        reason: reason ?? "",
        keys: [{ store: DISKS, key }],
        chunksOf: vmId,
      });
    else owner.disk = checked.value;
  });
}

async function sortSnapshots(
  [keys, values]: StoreContents,
  [dataKeys, dataValues]: StoreContents,
  { machines, moves }: SortedLoad,
  env: { v86Version: string },
): Promise<void> {
  const dataById = new Map<string, unknown>();
  dataKeys.forEach((key, i) => dataById.set(String(key), dataValues[i]));
  const seenData = new Set<string>();
  for (const [i, key] of keys.entries()) {
    const id = String(key);
    seenData.add(id);
    const records = [
      { store: SNAPSHOTS, key },
      ...(dataById.has(id) ? [{ store: SNAPSHOT_DATA, key }] : []),
    ];
    const checked = checkSnapshotRecord(values[i]);
    if (!checked.ok) {
      moves.push({ what: `snapshot ${id}`, reason: checked.reason, keys: records });
      continue;
    }
    const meta = checked.value;
    const data = checkSnapshotData(dataById.get(id));
    const owner = machines.get(meta.vmId);
    let reason: string | undefined;
    if (meta.id !== id) reason = `its id says ${meta.id}`;
    else if (!owner) reason = NOT_STORED;
    else if (meta.v86Version !== env.v86Version)
      reason = `it was made by emulator v86 ${meta.v86Version}; this page runs v86 ${env.v86Version}`;
    else if (!data.ok) reason = `its bytes: ${data.reason}`;
    else if (data.value.data.byteLength !== meta.dataBytes)
      reason = `its bytes are ${data.value.data.byteLength} long, not ${meta.dataBytes}`;
    else if ((await sha256Hex(data.value.data)) !== meta.dataSha256)
      reason = "its bytes do not match their SHA-256";
    if (reason !== undefined || !data.ok || !owner)
      moves.push({
        what: `snapshot ${meta.name} of ${meta.vmName}`,
        reason: reason ?? "",
        keys: records,
      });
    else owner.snapshots.push(snapshotOf(meta, data.value.data));
  }
  for (const key of dataKeys)
    if (!seenData.has(String(key)))
      moves.push({
        what: `snapshot bytes ${String(key)}`,
        reason: "no snapshot record refers to them",
        keys: [{ store: SNAPSHOT_DATA, key }],
      });
}
