import { wrap, type IDBPDatabase, type IDBPTransaction } from "idb";

/**
 * What the idb library leaves to us: opening a database on a given factory (idb's openDB uses the
 * global one; tests give each case a fresh factory), and one way to run a write transaction.
 */

export function openDatabase<Schema>(
  factory: IDBFactory,
  name: string,
  version: number,
  upgrade: (database: IDBPDatabase<Schema>, oldVersion: number) => void,
): Promise<IDBPDatabase<Schema>> {
  const request = factory.open(name, version);
  request.addEventListener("upgradeneeded", (event) =>
    upgrade(wrap(request.result) as IDBPDatabase<Schema>, event.oldVersion),
  );
  return wrap(request) as Promise<IDBPDatabase<Schema>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any store names, any mode
type AnyTransaction = IDBPTransaction<any, any, "readwrite">;

/**
 * Runs `body` in a readwrite transaction and resolves once the transaction has committed. Writes
 * go through `write`: a failed write is the transaction's failure, never an unhandled rejection.
 * When `body` throws, the transaction is aborted, so nothing it wrote is stored.
 */
export async function inTransaction<T, Tx extends AnyTransaction>(
  tx: Tx,
  body: (write: (request: Promise<unknown>) => void) => Promise<T> | T,
): Promise<T> {
  const writes: Promise<unknown>[] = [];
  try {
    const result = await body((request) => void writes.push(request));
    await Promise.all([...writes, tx.done]);
    return result;
  } catch (error) {
    void Promise.allSettled([...writes, tx.done]);
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    throw error;
  }
}
