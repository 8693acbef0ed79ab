import type { IDBPDatabase, IDBPTransaction } from "idb";
import { openDatabase } from "./idb";
import { ALL_STORES, QUARANTINE, type MachinesSchema, type StoreName } from "./store-names";

/** The playground's IndexedDB database and the transaction types its modules share. */

export const MACHINES_DATABASE = "vlabs-machines";
const DATABASE_VERSION = 1;

export type Database = IDBPDatabase<MachinesSchema>;
export type WriteTx = IDBPTransaction<MachinesSchema, StoreName[], "readwrite">;
/** Hands a write request to inTransaction, which awaits it with the commit. */
export type Write = (request: Promise<unknown>) => void;

export function openMachinesDatabase(factory: IDBFactory, name: string): Promise<Database> {
  return openDatabase<MachinesSchema>(factory, name, DATABASE_VERSION, (db) => {
    // Keys are kept out of line so that any value, even garbage, can be read back and reported.
    for (const store of ALL_STORES)
      if (!db.objectStoreNames.contains(store))
        db.createObjectStore(store, store === QUARANTINE ? { autoIncrement: true } : undefined);
  });
}

export function writeTx(database: Database, stores: readonly StoreName[]): WriteTx {
  return database.transaction([...stores], "readwrite");
}

/** Every chunk key of one VM's disk. */
export function chunkRange(vmId: string): IDBKeyRange {
  return IDBKeyRange.bound([vmId, 0], [vmId, Number.MAX_SAFE_INTEGER]);
}
