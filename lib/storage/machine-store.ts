import type { IDBPDatabase, IDBPTransaction } from "idb";
import type { VmSnapshot } from "../emulator/snapshots";
import { changesOf, type DiskChanges } from "../emulator/disk-changes";
import { CHUNK_BYTES, chunkCount, hasBootSector, sha256Hex } from "./disk-chunks";
import { inTransaction, openDatabase } from "./idb";
import { sortLoaded, type Move, type StoredMachine } from "./load-sort";
import {
  checkChunkRecord,
  checkDiskManifest,
  checkSnapshotRecord,
  checkVmRecord,
  snapshotRecordOf,
  type ChunkRecord,
  type DiskManifest,
  type QuarantineEntry,
  type VmRecord,
} from "./machine-records";
import {
  ALL_STORES,
  CHUNKS,
  DISKS,
  QUARANTINE,
  SNAPSHOT_DATA,
  SNAPSHOTS,
  VMS,
  type MachinesSchema,
  type StoreName,
} from "./store-names";

/**
 * The playground's machines in IndexedDB: VM definitions, their disks (in chunks, under a
 * manifest with a generation number) and their snapshots. Writes that belong together share one
 * transaction; every record is checked when read, and one that fails is moved to the quarantine
 * store with the reason, where the learner can download or delete it.
 */

export type { StoredMachine } from "./load-sort";

export const MACHINES_DATABASE = "vlabs-machines";
const DATABASE_VERSION = 1;

/** Something stored that could not be used, and where it went. */
export interface StorageProblem {
  what: string;
  reason: string;
}

export interface LoadResult {
  machines: StoredMachine[];
  problems: StorageProblem[];
}

export interface DiskSaveResult {
  generation: number;
  chunksWritten: number;
  chunksDeleted: number;
  /** Bytes of disk data stored after this save (all-zero chunks take none). */
  storedBytes: number;
  installed: boolean;
}

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

export interface QuarantineSummary {
  id: number;
  what: string;
  reason: string;
  quarantinedAt: number;
  bytes: number;
}

/** Changes that build on a stored disk, when none (of that size) is stored: save it whole. */
export class NeedsFullSaveError extends Error {
  constructor(readonly vmId: string) {
    super(`no stored disk of VM ${vmId} to build on: it must be saved whole`);
    this.name = "NeedsFullSaveError";
  }
}

/** The browser refused to store more for this site; what was stored before is intact. */
export class StorageFullError extends Error {
  constructor(readonly what: string) {
    super(
      `the browser's storage for this site is full, so ${what} was not saved (its last save is intact). ` +
        "Free space: delete snapshots or VMs you no longer need (export them to files first to keep them), then it is saved again.",
    );
    this.name = "StorageFullError";
  }
}

type Database = IDBPDatabase<MachinesSchema>;
type WriteTx = IDBPTransaction<MachinesSchema, StoreName[], "readwrite">;
type Write = (request: Promise<unknown>) => void;

/** A transaction's failure as the error to show: quota refusals become StorageFullError. */
function storageError(error: unknown, tx: WriteTx, what: string): unknown {
  const quota = (e: unknown) => e instanceof DOMException && e.name === "QuotaExceededError";
  let txError: unknown;
  try {
    txError = tx.error;
  } catch {
    txError = undefined;
  }
  return quota(error) || quota(txError) ? new StorageFullError(what) : error;
}

/** Thrown when a stored record was damaged; it has already been moved to quarantine. */
export class DamagedRecordError extends Error {
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(`${what} could not be read (${reason}); it was set aside in browser storage`);
    this.name = "DamagedRecordError";
  }
}

function chunkRange(vmId: string): IDBKeyRange {
  return IDBKeyRange.bound([vmId, 0], [vmId, Number.MAX_SAFE_INTEGER]);
}

function storedBytesOf(manifest: DiskManifest): number {
  return manifest.chunks.reduce<number>(
    (sum, hash, i) =>
      hash === null
        ? sum
        : sum + Math.min(manifest.chunkBytes, manifest.sizeBytes - i * manifest.chunkBytes),
    0,
  );
}

/** Bytes of binary data inside a value (what a quarantined record occupies, near enough). */
function binaryBytes(value: unknown, depth = 0): number {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (depth > 4 || typeof value !== "object" || value === null) return 0;
  return Object.values(value).reduce<number>((sum, v) => sum + binaryBytes(v, depth + 1), 0);
}

export class MachineStore {
  private constructor(private readonly database: Database) {}

  static async open(
    factory: IDBFactory = indexedDB,
    name: string = MACHINES_DATABASE,
  ): Promise<MachineStore> {
    const database = await openDatabase<MachinesSchema>(factory, name, DATABASE_VERSION, (db) => {
      // Keys are kept out of line so that any value, even garbage, can be read back and reported.
      for (const store of ALL_STORES)
        if (!db.objectStoreNames.contains(store))
          db.createObjectStore(store, store === QUARANTINE ? { autoIncrement: true } : undefined);
    });
    return new MachineStore(database);
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
      const tx = this.writeTx(ALL_STORES);
      await inTransaction(tx, async (write) => {
        for (const record of migrated) write(tx.objectStore(VMS).put(record, record.id));
        for (const move of moves) await this.quarantineIn(tx, write, move);
      });
    }
    const list = [...machines.values()].sort((a, b) => a.record.createdAt - b.record.createdAt);
    for (const m of list) m.snapshots.sort((a, b) => a.createdAt - b.createdAt);
    return { machines: list, problems: moves.map(({ what, reason }) => ({ what, reason })) };
  }

  private writeTx(stores: readonly StoreName[]): WriteTx {
    return this.database.transaction([...stores], "readwrite");
  }

  /** Moves records (as they are now) into one quarantine entry, inside the caller's transaction. */
  private async quarantineIn(tx: WriteTx, write: Write, move: Move): Promise<void> {
    const keys = [...move.keys];
    if (move.chunksOf)
      for (const key of await tx.objectStore(CHUNKS).getAllKeys(chunkRange(move.chunksOf)))
        keys.push({ store: CHUNKS, key });
    const records = [];
    for (const { store, key } of keys) {
      // Keys come from the stores they name (load-sort.ts), so they have that store's key type.
      const value: unknown = await tx.objectStore(store as StoreName).get(key as never);
      if (value === undefined) continue;
      records.push({ store, key, value });
    }
    if (records.length === 0) return;
    const entry: QuarantineEntry = {
      schema: 1,
      what: move.what,
      reason: move.reason,
      quarantinedAt: Date.now(),
      records,
    };
    write(tx.objectStore(QUARANTINE).add(entry));
    for (const { store, key } of records)
      write(tx.objectStore(store as StoreName).delete(key as never));
  }

  async putVm(record: VmRecord): Promise<void> {
    const tx = this.writeTx([VMS]);
    await inTransaction(tx, (write) => write(tx.objectStore(VMS).put(record, record.id)));
  }

  /** The VM, its disk and its snapshots, in one transaction. */
  async deleteVm(vmId: string): Promise<void> {
    const tx = this.writeTx([VMS, DISKS, CHUNKS, SNAPSHOTS, SNAPSHOT_DATA]);
    await inTransaction(tx, async (write) => {
      write(tx.objectStore(VMS).delete(vmId));
      this.deleteDiskIn(tx, write, vmId);
      await this.deleteSnapshotsIn(tx, write, vmId);
    });
  }

  async deleteDisk(vmId: string): Promise<void> {
    const tx = this.writeTx([DISKS, CHUNKS, VMS]);
    await inTransaction(tx, async (write) => {
      this.deleteDiskIn(tx, write, vmId);
      const vm = checkVmRecord(await tx.objectStore(VMS).get(vmId));
      if (vm.ok) write(tx.objectStore(VMS).put({ ...vm.value, diskInstalled: false }, vmId));
    });
  }

  private deleteDiskIn(tx: WriteTx, write: Write, vmId: string): void {
    write(tx.objectStore(DISKS).delete(vmId));
    write(tx.objectStore(CHUNKS).delete(chunkRange(vmId)));
  }

  /** Stores a whole disk image (an import, or a disk read in one piece). */
  saveDisk(vmId: string, bytes: ArrayBuffer): Promise<DiskSaveResult> {
    return this.saveDiskChanges(vmId, changesOf(bytes, true, [], CHUNK_BYTES));
  }

  /**
   * Stores chunks of a disk taken at one instant and the new manifest, in one transaction: the
   * stored disk is then the disk as it was at that instant, and an interrupted or refused save
   * leaves the previous one whole. Changes that are not `full` build on the stored disk; without
   * one of the same size they are refused with NeedsFullSaveError.
   */
  async saveDiskChanges(vmId: string, changes: DiskChanges): Promise<DiskSaveResult> {
    if (changes.chunkBytes !== CHUNK_BYTES)
      throw new Error(
        `disk chunks of ${changes.chunkBytes} bytes; this store keeps ${CHUNK_BYTES}`,
      );
    // Hashing is async work outside IndexedDB: it happens before the transaction opens.
    const hashes = new Map<number, string | null>();
    for (const chunk of changes.chunks)
      hashes.set(chunk.index, chunk.data ? await sha256Hex(chunk.data) : null);
    const tx = this.writeTx([DISKS, CHUNKS, VMS, QUARANTINE]);
    try {
      // Nothing of a failed save may commit (inTransaction aborts): the stored disk stays one instant.
      return await inTransaction(tx, (write) =>
        this.saveChangesIn(tx, write, vmId, changes, hashes),
      );
    } catch (error) {
      throw storageError(error, tx, `the disk of VM ${vmId}`);
    }
  }

  private async saveChangesIn(
    tx: WriteTx,
    write: Write,
    vmId: string,
    changes: DiskChanges,
    hashes: Map<number, string | null>,
  ): Promise<DiskSaveResult> {
    const disks = tx.objectStore(DISKS);
    const chunks = tx.objectStore(CHUNKS);
    // A disk is only kept with its VM (a save finishing after a delete must not bring it back).
    const vm = checkVmRecord(await tx.objectStore(VMS).get(vmId));
    if (!vm.ok) throw new Error(`VM ${vmId} is not stored, so its disk is not saved`);
    const stored: unknown = await disks.get(vmId);
    const checked = stored === undefined ? undefined : checkDiskManifest(stored);
    let previous: DiskManifest | undefined;
    if (
      checked?.ok &&
      checked.value.sizeBytes === changes.sizeBytes &&
      checked.value.chunkBytes === CHUNK_BYTES
    )
      previous = checked.value;
    if (!previous && !changes.full) throw new NeedsFullSaveError(vmId);
    if (checked && !checked.ok)
      await this.quarantineIn(tx, write, {
        what: `disk of ${vmId}`,
        reason: checked.reason,
        keys: [{ store: DISKS, key: vmId }],
        chunksOf: vmId,
      });
    else if (!previous) write(chunks.delete(chunkRange(vmId)));

    const generation = (checked?.ok ? checked.value.generation : 0) + 1;
    const manifestChunks: (string | null)[] = previous
      ? [...previous.chunks]
      : new Array<null>(chunkCount(changes.sizeBytes, CHUNK_BYTES)).fill(null);
    let chunksWritten = 0;
    let chunksDeleted = 0;
    for (const { index, data } of changes.chunks) {
      const hash = hashes.get(index) ?? null;
      if (previous && previous.chunks[index] === hash) continue;
      manifestChunks[index] = hash;
      if (hash === null || !data) {
        if (previous?.chunks[index]) chunksDeleted++;
        write(chunks.delete([vmId, index]));
        continue;
      }
      const record: ChunkRecord = { schema: 1, vmId, index, generation, sha256: hash, bytes: data };
      write(chunks.put(record, [vmId, index]));
      chunksWritten++;
    }
    const changed = chunksWritten + chunksDeleted > 0;
    const manifest: DiskManifest = {
      schema: 1,
      vmId,
      sizeBytes: changes.sizeBytes,
      chunkBytes: CHUNK_BYTES,
      generation: previous && !changed ? previous.generation : generation,
      chunks: manifestChunks,
      savedAt: Date.now(),
    };
    if (!previous || changed) write(disks.put(manifest, vmId));
    const first = changes.chunks.find((c) => c.index === 0);
    const installed = first
      ? first.data !== null && hasBootSector(first.data)
      : vm.value.diskInstalled;
    if (vm.value.diskInstalled !== installed)
      write(tx.objectStore(VMS).put({ ...vm.value, diskInstalled: installed }, vmId));
    return {
      generation: manifest.generation,
      chunksWritten,
      chunksDeleted,
      storedBytes: storedBytesOf(manifest),
      installed,
    };
  }

  /**
   * The stored disk's bytes, every chunk checked against the manifest's SHA-256; undefined when
   * nothing is stored. A damaged disk is moved to quarantine and reported by DamagedRecordError.
   */
  async loadDisk(vmId: string, vmName = vmId): Promise<ArrayBuffer | undefined> {
    const tx = this.database.transaction([DISKS, CHUNKS], "readonly");
    const [stored, keys, values] = await Promise.all([
      tx.objectStore(DISKS).get(vmId),
      tx.objectStore(CHUNKS).getAllKeys(chunkRange(vmId)),
      tx.objectStore(CHUNKS).getAll(chunkRange(vmId)),
      tx.done,
    ]);
    if (stored === undefined) return undefined;
    const reason = await this.diskProblem(vmId, stored, keys, values);
    if (typeof reason === "string") {
      const what = `disk of ${vmName}`;
      const write = this.writeTx(ALL_STORES);
      await inTransaction(write, (w) =>
        this.quarantineIn(write, w, {
          what,
          reason,
          keys: [{ store: DISKS, key: vmId }],
          chunksOf: vmId,
        }),
      );
      throw new DamagedRecordError(what, reason);
    }
    return reason;
  }

  /** The assembled disk, or why it cannot be trusted. */
  private async diskProblem(
    vmId: string,
    stored: unknown,
    keys: [string, number][],
    values: unknown[],
  ): Promise<ArrayBuffer | string> {
    const manifest = checkDiskManifest(stored);
    if (!manifest.ok) return `manifest: ${manifest.reason}`;
    const { sizeBytes, chunkBytes, chunks } = manifest.value;
    const bytes = new ArrayBuffer(sizeBytes);
    const found = new Set<number>();
    for (const [i, value] of values.entries()) {
      const index = keys[i]![1];
      const chunk = checkChunkRecord(value);
      if (!chunk.ok) return `chunk ${index}: ${chunk.reason}`;
      const expected = chunks[index];
      if (expected === undefined || expected === null) continue; // left over from an older generation
      const view = new Uint8Array(chunk.value.bytes);
      if (chunk.value.index !== index || chunk.value.vmId !== vmId)
        return `chunk ${index} is labelled ${chunk.value.vmId} #${chunk.value.index}`;
      if (view.byteLength !== Math.min(chunkBytes, sizeBytes - index * chunkBytes))
        return `chunk ${index} is ${view.byteLength} bytes long`;
      if ((await sha256Hex(view)) !== expected) return `chunk ${index} does not match its SHA-256`;
      new Uint8Array(bytes, index * chunkBytes, view.byteLength).set(view);
      found.add(index);
    }
    const missing = chunks.findIndex((hash, index) => hash !== null && !found.has(index));
    if (missing >= 0) return `chunk ${missing} is missing`;
    return bytes;
  }

  async putSnapshot(vmId: string, snapshot: VmSnapshot): Promise<void> {
    const record = snapshotRecordOf(vmId, snapshot, await sha256Hex(snapshot.data));
    const tx = this.writeTx([SNAPSHOTS, SNAPSHOT_DATA]);
    await inTransaction(tx, (write) => {
      const data = { schema: 1, id: snapshot.id, data: snapshot.data };
      write(tx.objectStore(SNAPSHOT_DATA).put(data, snapshot.id));
      write(tx.objectStore(SNAPSHOTS).put(record, snapshot.id));
    });
  }

  async deleteSnapshot(id: string): Promise<void> {
    const tx = this.writeTx([SNAPSHOTS, SNAPSHOT_DATA]);
    await inTransaction(tx, (write) => {
      write(tx.objectStore(SNAPSHOTS).delete(id));
      write(tx.objectStore(SNAPSHOT_DATA).delete(id));
    });
  }

  async deleteSnapshotsOf(vmId: string): Promise<void> {
    const tx = this.writeTx([SNAPSHOTS, SNAPSHOT_DATA]);
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
  async usage(): Promise<StorageUsage> {
    const tx = this.database.transaction([VMS, DISKS, SNAPSHOTS, QUARANTINE], "readonly");
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

  async quarantined(): Promise<QuarantineSummary[]> {
    const tx = this.database.transaction(QUARANTINE, "readonly");
    const [keys, stored] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll(), tx.done]);
    const values = stored as (QuarantineEntry | undefined)[];
    return keys.map((key, i) => ({
      id: key,
      what: String(values[i]?.what),
      reason: String(values[i]?.reason),
      quarantinedAt: Number(values[i]?.quarantinedAt),
      bytes: binaryBytes(values[i]),
    }));
  }

  async quarantineEntry(id: number): Promise<QuarantineEntry | undefined> {
    return (await this.database.get(QUARANTINE, id)) as QuarantineEntry | undefined;
  }

  async deleteQuarantined(id: number): Promise<void> {
    const tx = this.writeTx([QUARANTINE]);
    await inTransaction(tx, (write) => write(tx.objectStore(QUARANTINE).delete(id)));
  }

  /** Everything: VMs, disks, snapshots and quarantine. */
  async clearAll(): Promise<void> {
    const tx = this.writeTx(ALL_STORES);
    await inTransaction(tx, (write) => {
      for (const store of ALL_STORES) write(tx.objectStore(store).clear());
    });
  }
}
