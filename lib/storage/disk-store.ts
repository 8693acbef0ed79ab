import type { DiskChanges } from "../emulator/disk-changes";
import { CHUNK_BYTES, chunkCount, hasBootSector, sha256Hex } from "./disk-chunks";
import { inTransaction } from "./idb";
import {
  checkChunkRecord,
  checkDiskManifest,
  checkVmRecord,
  type ChunkRecord,
  type DiskManifest,
} from "./machine-records";
import { chunkRange, writeTx, type Database, type Write, type WriteTx } from "./machines-db";
import { quarantineIn } from "./quarantine-store";
import { DamagedRecordError, NeedsFullSaveError, storageError } from "./storage-errors";
import { ALL_STORES, CHUNKS, DISKS, QUARANTINE, VMS } from "./store-names";

/**
 * A VM's disk in IndexedDB: 1 MiB chunks (all-zero ones not stored) under a manifest that lists
 * each chunk's SHA-256 and a generation. A save writes the changed chunks and the new manifest
 * in one transaction, so the stored disk is always the disk at one instant; a load checks every
 * chunk against the manifest and sets a damaged disk aside.
 */

export interface DiskSaveResult {
  generation: number;
  chunksWritten: number;
  chunksDeleted: number;
  /** Bytes of disk data stored after this save (all-zero chunks take none). */
  storedBytes: number;
  installed: boolean;
}

export function storedBytesOf(manifest: DiskManifest): number {
  return manifest.chunks.reduce<number>(
    (sum, hash, i) =>
      hash === null
        ? sum
        : sum + Math.min(manifest.chunkBytes, manifest.sizeBytes - i * manifest.chunkBytes),
    0,
  );
}

/** Deletes a VM's manifest and chunks inside the caller's transaction. */
export function deleteDiskIn(tx: WriteTx, write: Write, vmId: string): void {
  write(tx.objectStore(DISKS).delete(vmId));
  write(tx.objectStore(CHUNKS).delete(chunkRange(vmId)));
}

/**
 * Stores chunks of a disk taken at one instant and the new manifest, in one transaction: the
 * stored disk is then the disk as it was at that instant, and an interrupted or refused save
 * leaves the previous one whole. Changes that are not `full` build on the stored disk; without
 * one of the same size they are refused with NeedsFullSaveError.
 */
export async function saveDiskChanges(
  database: Database,
  vmId: string,
  changes: DiskChanges,
): Promise<DiskSaveResult> {
  if (changes.chunkBytes !== CHUNK_BYTES)
    throw new Error(`disk chunks of ${changes.chunkBytes} bytes; this store keeps ${CHUNK_BYTES}`);
  // Hashing is async work outside IndexedDB: it happens before the transaction opens.
  const hashes = new Map<number, string | null>();
  for (const chunk of changes.chunks)
    hashes.set(chunk.index, chunk.data ? await sha256Hex(chunk.data) : null);
  const tx = writeTx(database, [DISKS, CHUNKS, VMS, QUARANTINE]);
  try {
    // Nothing of a failed save may commit (inTransaction aborts): the stored disk stays one instant.
    return await inTransaction(tx, (write) => saveChangesIn(tx, write, vmId, changes, hashes));
  } catch (error) {
    throw storageError(error, tx, `the disk of VM ${vmId}`);
  }
}

async function saveChangesIn(
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
    await quarantineIn(tx, write, {
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
export async function loadDisk(
  database: Database,
  vmId: string,
  vmName = vmId,
): Promise<ArrayBuffer | undefined> {
  const tx = database.transaction([DISKS, CHUNKS], "readonly");
  const [stored, keys, values] = await Promise.all([
    tx.objectStore(DISKS).get(vmId),
    tx.objectStore(CHUNKS).getAllKeys(chunkRange(vmId)),
    tx.objectStore(CHUNKS).getAll(chunkRange(vmId)),
    tx.done,
  ]);
  if (stored === undefined) return undefined;
  const reason = await diskProblem(vmId, stored, keys, values);
  if (typeof reason === "string") {
    const what = `disk of ${vmName}`;
    const write = writeTx(database, ALL_STORES);
    await inTransaction(write, (w) =>
      quarantineIn(write, w, {
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
async function diskProblem(
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
