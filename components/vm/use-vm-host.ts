"use client";

import { useEffect, useState } from "react";
import { VmHost } from "@/lib/emulator/vm-host";
import { cpuCoresFromSearch, yieldModeFromSearch } from "@/lib/emulator/url-options";
import type { YieldMode } from "@/lib/emulator/worker-protocol";
import { withBasePath } from "@/lib/site";

const SCHEDULER_SETTING = "vlabs:cpu-scheduler";

/**
 * Whether the CPU scheduler runs this page's VMs: yes unless the learner turned it off in the
 * Host CPU panel (kept in this browser). A page that is not cross-origin isolated has none.
 */
export function cpuSchedulerChosen(): boolean {
  try {
    return localStorage.getItem(SCHEDULER_SETTING) !== "off";
  } catch {
    return true;
  }
}

/** Turns the CPU scheduler on or off for the next page load in this browser. */
export function chooseCpuScheduler(on: boolean): void {
  try {
    localStorage.setItem(SCHEDULER_SETTING, on ? "on" : "off");
  } catch {
    // Site data blocked: the choice cannot be kept.
  }
}

/** A hypervisor for this page: its assets under the base path, its budget from the device. */
export function createPageVmHost(
  yieldMode?: YieldMode,
  cpuCores: number | false | undefined = cpuSchedulerChosen() ? undefined : false,
): VmHost {
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
    // ?yield=<mode> and ?cpu= exist for the bench and tests, which compare ways of running VMs.
    const search = window.location.search;
    const asked = cpuCoresFromSearch(search);
    const created = createPageVmHost(
      yieldModeFromSearch(search),
      ...(asked === undefined ? [] : [asked]),
    );
    // The host owns workers, so it is made after mount and destroyed on unmount (Strict Mode safe).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setHost(created);
    return () => {
      void created.destroy();
    };
  }, []);
  return host;
}
