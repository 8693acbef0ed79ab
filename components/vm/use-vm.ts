"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine, VmState, VmStats } from "@/lib/emulator/vm-machine";
import type { DownloadProgress } from "@/lib/emulator/assets";

export function useVmState(machine: VmMachine): VmState {
  return useSyncExternalStore(
    (cb) => machine.events.on("state", cb),
    () => machine.state,
    () => machine.state,
  );
}

export function useVmStats(machine: VmMachine): VmStats {
  return useSyncExternalStore(
    (cb) => machine.events.on("stats", cb),
    () => machine.currentStats,
    () => machine.currentStats,
  );
}

export function useMachines(host: VmHost): readonly VmMachine[] {
  const [list, setList] = useState<readonly VmMachine[]>(() => [...host.machines]);
  useEffect(() => host.events.on("machines", setList), [host]);
  return list;
}

export function useDownloadProgress(host: VmHost): DownloadProgress | undefined {
  const [progress, setProgress] = useState<DownloadProgress>();
  useEffect(() => host.events.on("progress", setProgress), [host]);
  return progress;
}

/** performance.now(), refreshed every `ms` while mounted (for charts fed by machine.history). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setNow(performance.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
