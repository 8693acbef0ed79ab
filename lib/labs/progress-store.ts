import type { DBSchema, IDBPDatabase } from "idb";
import { inTransaction, openDatabase } from "../storage/idb";
import { emptyProgress, parseProgress } from "./progress";
import type { Progress } from "./progress";

const DATABASE = "vlabs-progress";
const STORE = "records";
const KEY = "progress";

interface ProgressSchema extends DBSchema {
  /** The progress under KEY, and unreadable records set aside under other keys. */
  [STORE]: { key: string; value: unknown };
}

export interface LoadedProgress {
  progress: Progress;
  /** Set when the stored record could not be read and was reset (a copy is kept aside). */
  notice?: string;
}

/**
 * The learner's progress in IndexedDB. Every change is a read-modify-write inside one
 * transaction, so two tabs cannot lose each other's steps; an unreadable record is set aside
 * under another key, never silently dropped.
 */
export class ProgressStore {
  private readonly listeners = new Set<(progress: Progress) => void>();

  private constructor(private readonly database: IDBPDatabase<ProgressSchema>) {}

  static async open(factory: IDBFactory = indexedDB): Promise<ProgressStore> {
    const database = await openDatabase<ProgressSchema>(factory, DATABASE, 1, (db) => {
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
    });
    return new ProgressStore(database);
  }

  async load(): Promise<LoadedProgress> {
    const transaction = this.database.transaction(STORE, "readwrite");
    const store = transaction.store;
    return inTransaction(transaction, async (write) => {
      const stored = await store.get(KEY);
      if (stored === undefined) return { progress: emptyProgress() };
      const parsed = parseProgress(stored);
      if (parsed) return { progress: parsed };
      const asideKey = `${KEY}-unreadable-${Date.now()}`;
      write(store.put(stored, asideKey));
      write(store.put(emptyProgress(), KEY));
      return {
        progress: emptyProgress(),
        notice: `Your saved progress could not be read, so it was reset. A copy was kept in this browser as "${asideKey}".`,
      };
    });
  }

  async update(change: (progress: Progress) => Progress): Promise<Progress> {
    const transaction = this.database.transaction(STORE, "readwrite");
    const store = transaction.store;
    const next = await inTransaction(transaction, async (write) => {
      const next = change(parseProgress(await store.get(KEY)) ?? emptyProgress());
      write(store.put(next, KEY));
      return next;
    });
    for (const listener of this.listeners) listener(next);
    return next;
  }

  subscribe(listener: (progress: Progress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.database.close();
  }
}

let shared: Promise<ProgressStore> | undefined;

/** The page's one store, opened on first use. */
export function getProgressStore(): Promise<ProgressStore> {
  shared ??= ProgressStore.open().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
