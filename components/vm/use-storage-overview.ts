"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import type { MachinePersistence } from "@/lib/storage/machine-persistence";
import { StorageOverview, type StorageOverviewState } from "@/lib/storage/storage-overview";

/** The storage overview of this persistence, following its events while the component shows. */
export function useStorageOverview(
  host: VmHost,
  persistence: MachinePersistence,
): { overview: StorageOverview; state: StorageOverviewState } {
  const overview = useMemo(() => new StorageOverview(persistence, host), [host, persistence]);
  useEffect(() => overview.start(), [overview]);
  const state = useSyncExternalStore(
    (cb) => overview.subscribe(cb),
    () => overview.current,
    () => overview.current,
  );
  return { overview, state };
}
