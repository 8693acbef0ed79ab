"use client";

import { useEffect, useState } from "react";
import { VmHost } from "@/lib/emulator/vm-host";
import { cpuCoresFromSearch, yieldModeFromSearch } from "@/lib/emulator/url-options";
import type { YieldMode } from "@/lib/emulator/worker-protocol";
import { withBasePath } from "@/lib/site";

/** A hypervisor for this page: its assets under the base path, its budget from the device. */
export function createPageVmHost(yieldMode?: YieldMode, cpuCores?: number | false): VmHost {
  return new VmHost({
    site: { url: withBasePath },
    deviceMemoryGb: (navigator as { deviceMemory?: number }).deviceMemory,
    yieldMode,
    cpuCores,
  });
}

/** One VmHost for the component's lifetime; destroyed (workers and all) on unmount. */
export function useVmHost(): VmHost | undefined {
  const [host, setHost] = useState<VmHost>();
  useEffect(() => {
    // ?yield=<mode> and ?cpu= exist for the bench, which compares ways of running VMs.
    const search = window.location.search;
    const created = createPageVmHost(yieldModeFromSearch(search), cpuCoresFromSearch(search));
    // The host owns workers, so it is made after mount and destroyed on unmount (Strict Mode safe).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setHost(created);
    return () => {
      void created.destroy();
    };
  }, []);
  return host;
}
