import type { DBSchema, IDBPDatabase } from "idb";
import { inTransaction, openDatabase } from "./idb";
import type { QuarantineEntry } from "./machine-records";

/**
 * The cloud console's IndexedDB database: one record per thing a console keeps (instance,
 * security group, image, scaling group, load balancer), keyed `[scope, kind, id]` so that the
 * console on /cloud and the one in a lab keep separate clouds. Values stay unknown here: the
 * cloud checks them (lib/cloud/cloud-records.ts) and hands back the ones to set aside, which move
 * to `quarantine` with their reason in one transaction, as the playground's records do.
 */

export const CLOUD_DATABASE = "vlabs-cloud";
const DATABASE_VERSION = 1;
const RECORDS = "records";
const QUARANTINE = "quarantine";

export type CloudKey = [scope: string, kind: string, id: string];

interface CloudSchema extends DBSchema {
  [RECORDS]: { key: CloudKey; value: unknown };
  [QUARANTINE]: { key: number; value: unknown };
}

export interface StoredCloudRecord {
  key: CloudKey;
  value: unknown;
}

export interface CloudRecordMove {
  key: CloudKey;
  /** The thing in words ("instance web-1"). */
  what: string;
  reason: string;
}

/** Every key of one scope: arrays sort after strings, so `[scope, []]` closes the range. */
function scopeRange(scope: string): IDBKeyRange {
  return IDBKeyRange.bound([scope], [scope, []]);
}

export class CloudStore {
  private constructor(private readonly database: IDBPDatabase<CloudSchema>) {}

  static async open(
    factory: IDBFactory = indexedDB,
    name: string = CLOUD_DATABASE,
  ): Promise<CloudStore> {
    const database = await openDatabase<CloudSchema>(factory, name, DATABASE_VERSION, (db) => {
      // Keys out of line, so that any value, even garbage, can be read back and set aside.
      if (!db.objectStoreNames.contains(RECORDS)) db.createObjectStore(RECORDS);
      if (!db.objectStoreNames.contains(QUARANTINE))
        db.createObjectStore(QUARANTINE, { autoIncrement: true });
    });
    return new CloudStore(database);
  }

  close(): void {
    this.database.close();
  }

  /** Every record of a scope, as stored. */
  async load(scope: string): Promise<StoredCloudRecord[]> {
    const tx = this.database.transaction(RECORDS, "readonly");
    const [keys, values] = await Promise.all([
      tx.store.getAllKeys(scopeRange(scope)),
      tx.store.getAll(scopeRange(scope)),
      tx.done,
    ]);
    return keys.map((key, i) => ({ key, value: values[i] }));
  }

  /** Writes and deletes records in one transaction (all or nothing). */
  async apply(puts: readonly StoredCloudRecord[], deletes: readonly CloudKey[]): Promise<void> {
    if (puts.length === 0 && deletes.length === 0) return;
    const tx = this.database.transaction(RECORDS, "readwrite");
    await inTransaction(tx, (write) => {
      for (const key of deletes) write(tx.store.delete(key));
      for (const { key, value } of puts) write(tx.store.put(value, key));
    });
  }

  /** Moves records, as they are now, into quarantine with their reasons (one transaction). */
  async quarantine(moves: readonly CloudRecordMove[]): Promise<void> {
    if (moves.length === 0) return;
    const tx = this.database.transaction([RECORDS, QUARANTINE], "readwrite");
    await inTransaction(tx, async (write) => {
      for (const move of moves) {
        const value: unknown = await tx.objectStore(RECORDS).get(move.key);
        if (value === undefined) continue;
        const entry: QuarantineEntry = {
          schema: 1,
          what: move.what,
          reason: move.reason,
          quarantinedAt: Date.now(),
          records: [{ store: RECORDS, key: move.key, value }],
        };
        write(tx.objectStore(QUARANTINE).add(entry));
        write(tx.objectStore(RECORDS).delete(move.key));
      }
    });
  }

  /** What quarantine holds, oldest first (for tests and the console's notice). */
  async quarantined(): Promise<QuarantineEntry[]> {
    return (await this.database.getAll(QUARANTINE)) as QuarantineEntry[];
  }
}
