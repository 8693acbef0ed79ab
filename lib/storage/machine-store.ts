import type { VmSnapshot } from "../emulator/snapshots";
import { changesOf, type DiskChanges } from "../emulator/disk-changes";
import { CHUNK_BYTES, sha256Hex } from "./disk-chunks";
import { deleteDiskIn, loadDisk, saveDiskChanges, type DiskSaveResult } from "./disk-store";
import { inTransaction } from "./idb";
import { sortLoaded, type StoredMachine } from "./load-sort";
import {
  checkVmRecord,
  snapshotRecordOf,
  type QuarantineEntry,
  type VmRecord,
} from "./machine-records";
import {
  MACHINES_DATABASE,
  openMachinesDatabase,
  writeTx,
  type Database,
  type Write,
  type WriteTx,
} from "./machines-db";
import {
  deleteQuarantined,
  listQuarantined,
  quarantineIn,
  readQuarantined,
  type QuarantineSummary,
} from "./quarantine-store";
import type { StorageProblem } from "./storage-errors";
import { storageUsage, type StorageUsage } from "./storage-usage";
import { ALL_STORES, CHUNKS, DISKS, SNAPSHOT_DATA, SNAPSHOTS, VMS } from "./store-names";

/**
 * The playground's machines in IndexedDB: VM definitions, their disks (in chunks, under a
 * manifest with a generation number) and their snapshots. Writes that belong together share one
 * transaction; every record is checked when read, and one that fails is moved to the quarantine
 * store with the reason, where the learner can download or delete it.
 *
 * This class is the one door the page uses; the work is beside it: disk-store.ts (chunked disk
 * saves and loads), quarantine-store.ts, storage-usage.ts, load-sort.ts (what a load keeps),
 * machines-db.ts (the database and its transactions), storage-errors.ts.
 */

export { MACHINES_DATABASE } from "./machines-db";
export type { StoredMachine } from "./load-sort";
export type { DiskSaveResult } from "./disk-store";
export type { QuarantineSummary } from "./quarantine-store";
export type { StorageUsage, VmUsage } from "./storage-usage";
export {
  DamagedRecordError,
  NeedsFullSaveError,
  StorageFullError,
  type StorageProblem,
} from "./storage-errors";

export interface LoadResult {
  machines: StoredMachine[];
  problems: StorageProblem[];
}

export class MachineStore {
  private constructor(private readonly database: Database) {}

  static async open(
    factory: IDBFactory = indexedDB,
    name: string = MACHINES_DATABASE,
  ): Promise<MachineStore> {
    return new MachineStore(await openMachinesDatabase(factory, name));
  }

  close(): void {
    this.database.close();
  }

  /**
   * Every stored VM with its disk manifest and snapshots. Records that fail their checks (or come
   * from another emulator version) are moved to quarantine and reported; the others still load.
   */
  async loadAll(env: { v86Version: string }): Promise<LoadResult> {
    const tx = this.database.transaction([VMS, DISKS, SNAPSHOTS, SNAPSHOT_DATA], "readonly");
    const read = (store: typeof VMS | typeof DISKS | typeof SNAPSHOTS | typeof SNAPSHOT_DATA) =>
      Promise.all([tx.objectStore(store).getAllKeys(), tx.objectStore(store).getAll()]);
    const [vms, disks, snapshots, snapshotData] = await Promise.all([
      read(VMS),
      read(DISKS),
      read(SNAPSHOTS),
      read(SNAPSHOT_DATA),
      tx.done,
    ]);

    const { machines, migrated, moves } = await sortLoaded(
      { vms, disks, snapshots, snapshotData },
      env,
    );
    if (moves.length > 0 || migrated.length > 0) {
      const tx = writeTx(this.database, ALL_STORES);
      await inTransaction(tx, async (write) => {
        for (const record of migrated) write(tx.objectStore(VMS).put(record, record.id));
        for (const move of moves) await quarantineIn(tx, write, move);
      });
    }
    const list = [...machines.values()].sort((a, b) => a.record.createdAt - b.record.createdAt);
    for (const m of list) m.snapshots.sort((a, b) => a.createdAt - b.createdAt);
    return { machines: list, problems: moves.map(({ what, reason }) => ({ what, reason })) };
  }

  async putVm(record: VmRecord): Promise<void> {
    const tx = writeTx(this.database, [VMS]);
    await inTransaction(tx, (write) => write(tx.objectStore(VMS).put(record, record.id)));
  }

  /** The VM, its disk and its snapshots, in one transaction. */
  async deleteVm(vmId: string): Promise<void> {
    const tx = writeTx(this.database, [VMS, DISKS, CHUNKS, SNAPSHOTS, SNAPSHOT_DATA]);
    await inTransaction(tx, async (write) => {
      write(tx.objectStore(VMS).delete(vmId));
      deleteDiskIn(tx, write, vmId);
      await this.deleteSnapshotsIn(tx, write, vmId);
    });
  }

  async deleteDisk(vmId: string): Promise<void> {
    const tx = writeTx(this.database, [DISKS, CHUNKS, VMS]);
    await inTransaction(tx, async (write) => {
      deleteDiskIn(tx, write, vmId);
      const vm = checkVmRecord(await tx.objectStore(VMS).get(vmId));
      if (vm.ok) write(tx.objectStore(VMS).put({ ...vm.value, diskInstalled: false }, vmId));
    });
  }

  /** Stores a whole disk image (an import, or a disk read in one piece). */
  saveDisk(vmId: string, bytes: ArrayBuffer): Promise<DiskSaveResult> {
    return this.saveDiskChanges(vmId, changesOf(bytes, true, [], CHUNK_BYTES));
  }

  /**
   * Stores chunks of a disk taken at one instant and the new manifest, in one transaction
   * (disk-store.ts): an interrupted or refused save leaves the previous disk whole. Changes that
   * are not `full` need a stored disk of the same size, else NeedsFullSaveError.
   */
  saveDiskChanges(vmId: string, changes: DiskChanges): Promise<DiskSaveResult> {
    return saveDiskChanges(this.database, vmId, changes);
  }

  /**
   * The stored disk's bytes, every chunk checked against the manifest's SHA-256; undefined when
   * nothing is stored. A damaged disk is moved to quarantine and reported by DamagedRecordError.
   */
  loadDisk(vmId: string, vmName = vmId): Promise<ArrayBuffer | undefined> {
    return loadDisk(this.database, vmId, vmName);
  }

  async putSnapshot(vmId: string, snapshot: VmSnapshot): Promise<void> {
    const record = snapshotRecordOf(vmId, snapshot, await sha256Hex(snapshot.data));
    const tx = writeTx(this.database, [SNAPSHOTS, SNAPSHOT_DATA]);
    await inTransaction(tx, (write) => {
      const data = { schema: 1, id: snapshot.id, data: snapshot.data };
      write(tx.objectStore(SNAPSHOT_DATA).put(data, snapshot.id));
      write(tx.objectStore(SNAPSHOTS).put(record, snapshot.id));
    });
  }

  async deleteSnapshot(id: string): Promise<void> {
    const tx = writeTx(this.database, [SNAPSHOTS, SNAPSHOT_DATA]);
    await inTransaction(tx, (write) => {
      write(tx.objectStore(SNAPSHOTS).delete(id));
      write(tx.objectStore(SNAPSHOT_DATA).delete(id));
    });
  }

  async deleteSnapshotsOf(vmId: string): Promise<void> {
    const tx = writeTx(this.database, [SNAPSHOTS, SNAPSHOT_DATA]);
    await inTransaction(tx, (write) => this.deleteSnapshotsIn(tx, write, vmId));
  }

  private async deleteSnapshotsIn(tx: WriteTx, write: Write, vmId: string): Promise<void> {
    const store = tx.objectStore(SNAPSHOTS);
    const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()]);
    keys.forEach((key, i) => {
      const value = values[i] as { vmId?: unknown } | undefined;
      if (value?.vmId !== vmId) return;
      write(store.delete(key));
      write(tx.objectStore(SNAPSHOT_DATA).delete(key));
    });
  }

  /** Bytes stored per VM (disk chunks, snapshot bytes) and in quarantine. */
  usage(): Promise<StorageUsage> {
    return storageUsage(this.database);
  }

  quarantined(): Promise<QuarantineSummary[]> {
    return listQuarantined(this.database);
  }

  quarantineEntry(id: number): Promise<QuarantineEntry | undefined> {
    return readQuarantined(this.database, id);
  }

  deleteQuarantined(id: number): Promise<void> {
    return deleteQuarantined(this.database, id);
  }

  /** Everything: VMs, disks, snapshots and quarantine. */
  async clearAll(): Promise<void> {
    const tx = writeTx(this.database, ALL_STORES);
    await inTransaction(tx, (write) => {
      for (const store of ALL_STORES) write(tx.objectStore(store).clear());
    });
  }
}
