import type { VmHost } from "@/lib/emulator/vm-host";
import { MachinePersistence } from "./machine-persistence";
import { MachineStore } from "./machine-store";

/**
 * Opening the playground's storage: one tab at a time holds it, the stored VMs come back on the
 * host, unsaved disk writes are stored when the page is hidden or left, and closing lets it all go.
 */

export type PlaygroundStorage =
  | { kind: "loading" }
  | { kind: "unavailable"; reason: string }
  | { kind: "ready"; persistence: MachinePersistence; restored: number; restoreMs: number };

export const STORAGE_LOCK = "vlabs-playground-machines";

/**
 * One tab at a time keeps the playground's VMs (two would overwrite each other's disks). Resolves
 * with the release function, or undefined when another tab holds the lock. `name`: another
 * lock of the same kind (a cloud console's, lib/cloud/cloud-persistence.ts).
 */
export async function holdStorageLock(
  locks: LockManager | undefined = globalThis.navigator?.locks,
  retryMs = 300,
  name = STORAGE_LOCK,
): Promise<(() => void) | undefined> {
  if (!locks) return () => {};
  for (let attempt = 0; attempt < 3; attempt++) {
    const release = await new Promise<(() => void) | undefined>((resolve) => {
      void locks.request(name, { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(undefined);
        return new Promise<void>((done) => resolve(done));
      });
    });
    if (release) return release;
    // A page that was just closed or reloaded may still be letting go of it.
    await new Promise((r) => setTimeout(r, retryMs));
  }
  return undefined;
}

let askedToKeep = false;

/**
 * A stored disk is the learner's work: once the first one is stored, ask the browser not to
 * clear this site's storage when it runs short of space (it may say no; the panel shows which).
 */
function askToKeepStorageOnce(persistence: MachinePersistence): () => void {
  return persistence.events.on("saved", () => {
    const storage = globalThis.navigator?.storage;
    if (!storage?.persist || askedToKeep) return;
    askedToKeep = true;
    void storage.persisted?.().then((kept) => {
      if (!kept) void storage.persist().then(() => persistence.events.emit("changed", undefined));
    });
  });
}

export interface PlaygroundStorageSession {
  /** Stops following the host, closes the store and lets another tab have it. */
  close(): void;
}

export interface OpenOptions {
  /** A fresh IndexedDB factory (tests); the page's by default. */
  openStore?: () => Promise<MachineStore>;
  locks?: LockManager;
}

/**
 * Opens this browser's machine store and puts the stored VMs back on the host; `onState` hears
 * "ready" with what came back, or "unavailable" with why.
 */
export function openPlaygroundStorage(
  host: VmHost,
  onState: (state: PlaygroundStorage) => void,
  options: OpenOptions = {},
): PlaygroundStorageSession {
  let closed = false;
  let persistence: MachinePersistence | undefined;
  let store: MachineStore | undefined;
  let release: (() => void) | undefined;
  let stopAsking: (() => void) | undefined;
  const page = typeof window === "undefined" ? undefined : window;
  // Leaving the tab (or closing it) is a good moment to store unsaved disk writes.
  const onHidden = () => {
    if (document.visibilityState === "hidden") void persistence?.flush();
  };
  const onPageHide = () => void persistence?.flush();
  // The browser asks the learner to confirm leaving while a disk has unsaved writes.
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!persistence?.savePending) return;
    void persistence.flush();
    event.preventDefault();
  };
  page?.document.addEventListener("visibilitychange", onHidden);
  page?.addEventListener("pagehide", onPageHide);
  page?.addEventListener("beforeunload", onBeforeUnload);

  (async () => {
    if (!options.openStore && typeof indexedDB === "undefined")
      throw new Error("this browser has no IndexedDB");
    release = await holdStorageLock(options.locks);
    if (!release)
      throw new Error("another tab of this site keeps the playground's VMs; close it and reload");
    if (closed) return release();
    store = await (options.openStore ?? (() => MachineStore.open()))();
    if (closed) return store.close();
    persistence = new MachinePersistence(host, store);
    stopAsking = askToKeepStorageOnce(persistence);
    const { restored, ms } = await persistence.restore();
    if (!closed) onState({ kind: "ready", persistence, restored, restoreMs: Math.round(ms) });
  })().catch((error: unknown) => {
    if (!closed)
      onState({
        kind: "unavailable",
        reason: error instanceof Error ? error.message : String(error),
      });
  });

  return {
    close() {
      closed = true;
      page?.document.removeEventListener("visibilitychange", onHidden);
      page?.removeEventListener("pagehide", onPageHide);
      page?.removeEventListener("beforeunload", onBeforeUnload);
      stopAsking?.();
      persistence?.dispose();
      store?.close();
      release?.();
    },
  };
}
