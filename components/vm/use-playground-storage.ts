"use client";

import { useEffect, useState } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import { openPlaygroundStorage, type PlaygroundStorage } from "@/lib/storage/playground-storage";

export type { PlaygroundStorage };

/** Opens the browser's machine store and puts the stored VMs back on the host. */
export function usePlaygroundStorage(host: VmHost): PlaygroundStorage {
  const [storage, setStorage] = useState<PlaygroundStorage>({ kind: "loading" });
  useEffect(() => {
    const session = openPlaygroundStorage(host, setStorage);
    return () => session.close();
  }, [host]);
  return storage;
}
