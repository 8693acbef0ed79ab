import { inTransaction } from "./idb";
import type { Move } from "./load-sort";
import type { QuarantineEntry } from "./machine-records";
import { chunkRange, writeTx, type Database, type Write, type WriteTx } from "./machines-db";
import { CHUNKS, QUARANTINE, type StoreName } from "./store-names";

/**
 * The quarantine store: records that failed their checks, moved there as they were (in the same
 * transaction that removes them) with the reason, for the learner to download or delete.
 */

export interface QuarantineSummary {
  id: number;
  what: string;
  reason: string;
  quarantinedAt: number;
  bytes: number;
}

/** Moves records (as they are now) into one quarantine entry, inside the caller's transaction. */
export async function quarantineIn(tx: WriteTx, write: Write, move: Move): Promise<void> {
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

export async function listQuarantined(database: Database): Promise<QuarantineSummary[]> {
  const tx = database.transaction(QUARANTINE, "readonly");
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

export async function readQuarantined(
  database: Database,
  id: number,
): Promise<QuarantineEntry | undefined> {
  return (await database.get(QUARANTINE, id)) as QuarantineEntry | undefined;
}

export async function deleteQuarantined(database: Database, id: number): Promise<void> {
  const tx = writeTx(database, [QUARANTINE]);
  await inTransaction(tx, (write) => write(tx.objectStore(QUARANTINE).delete(id)));
}

/** Bytes of binary data inside a value (what a quarantined record occupies, near enough). */
export function binaryBytes(value: unknown, depth = 0): number {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (depth > 4 || typeof value !== "object" || value === null) return 0;
  return Object.values(value).reduce<number>((sum, v) => sum + binaryBytes(v, depth + 1), 0);
}
