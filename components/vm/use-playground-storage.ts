"use client";

import { useEffect, useState } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import { MachinePersistence } from "@/lib/storage/machine-persistence";
import { MachineStore } from "@/lib/storage/machine-store";

export type PlaygroundStorage =
  | { kind: "loading" }
  | { kind: "unavailable"; reason: string }
  | { kind: "ready"; persistence: MachinePersistence; restored: number; restoreMs: number };

const STORAGE_LOCK = "vlabs-playground-machines";

/**
 * One tab at a time keeps the playground's VMs (two would overwrite each other's disks). Resolves
 * with the release function, or undefined when another tab holds the lock.
 */
async function holdStorageLock(): Promise<(() => void) | undefined> {
  const locks = navigator.locks as LockManager | undefined;
  if (!locks) return () => {};
  for (let attempt = 0; attempt < 3; attempt++) {
    const release = await new Promise<(() => void) | undefined>((resolve) => {
      void locks.request(STORAGE_LOCK, { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(undefined);
        return new Promise<void>((done) => resolve(done));
      });
    });
    if (release) return release;
    // A page that was just closed or reloaded may still be letting go of it.
    await new Promise((r) => setTimeout(r, 300));
  }
  return undefined;
}

/**
 * A stored disk is the learner's work: once the first one is stored, ask the browser not to
 * clear this site's storage when it runs short of space (it may say no; the panel shows which).
 */
function askToKeepStorageOnce(persistence: MachinePersistence): () => void {
  return persistence.events.on("saved", () => {
    const storage = navigator.storage;
    if (!storage?.persist || askToKeepStorageOnce.asked) return;
    askToKeepStorageOnce.asked = true;
    void storage.persisted?.().then((kept) => {
      if (!kept) void storage.persist().then(() => persistence.events.emit("changed", undefined));
    });
  });
}
askToKeepStorageOnce.asked = false;

/** Opens the browser's machine store and puts the stored VMs back on the host. */
export function usePlaygroundStorage(host: VmHost): PlaygroundStorage {
  const [storage, setStorage] = useState<PlaygroundStorage>({ kind: "loading" });
  useEffect(() => {
    let cancelled = false;
    let persistence: MachinePersistence | undefined;
    let store: MachineStore | undefined;
    let release: (() => void) | undefined;
    let stopAsking: (() => void) | undefined;
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
    document.addEventListener("visibilitychange", onHidden);
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("beforeunload", onBeforeUnload);
    (async () => {
      if (typeof indexedDB === "undefined") throw new Error("this browser has no IndexedDB");
      release = await holdStorageLock();
      if (!release)
        throw new Error("another tab of this site keeps the playground's VMs; close it and reload");
      if (cancelled) return release();
      store = await MachineStore.open();
      if (cancelled) return;
      persistence = new MachinePersistence(host, store);
      stopAsking = askToKeepStorageOnce(persistence);
      const { restored, ms } = await persistence.restore();
      if (!cancelled)
        setStorage({ kind: "ready", persistence, restored, restoreMs: Math.round(ms) });
    })().catch((error: unknown) => {
      if (!cancelled)
        setStorage({
          kind: "unavailable",
          reason: error instanceof Error ? error.message : String(error),
        });
    });
    return () => {
      cancelled = true;
      document.removeEventListener("visibilitychange", onHidden);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("beforeunload", onBeforeUnload);
      stopAsking?.();
      persistence?.dispose();
      store?.close();
      release?.();
    };
  }, [host]);
  return storage;
}
