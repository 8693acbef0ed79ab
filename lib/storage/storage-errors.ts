import type { IDBPTransaction } from "idb";

/**
 * What goes wrong with the playground's stored machines, as errors the page can tell apart and
 * problems it can list.
 */

/** Something stored that could not be used, and where it went. */
export interface StorageProblem {
  what: string;
  reason: string;
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema, any store names
type AnyWriteTx = IDBPTransaction<any, any, "readwrite">;

/** A transaction's failure as the error to show: quota refusals become StorageFullError. */
export function storageError(error: unknown, tx: AnyWriteTx, what: string): unknown {
  const quota = (e: unknown) => e instanceof DOMException && e.name === "QuotaExceededError";
  let txError: unknown;
  try {
    txError = tx.error;
  } catch {
    txError = undefined;
  }
  return quota(error) || quota(txError) ? new StorageFullError(what) : error;
}
