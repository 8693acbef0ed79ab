"use client";

import { useEffect, useSyncExternalStore } from "react";
import { hostLoadWorkers, onHostLoadChange, startHostLoad, stopHostLoad } from "./host-load";
import { Button } from "@/components/ui/button";

/** A lab control that puts the host under load, to watch hosted guests slow down. */
export function HostLoadButton() {
  const running = useSyncExternalStore(onHostLoadChange, hostLoadWorkers, () => 0);
  useEffect(() => stopHostLoad, []);
  return (
    <div className="my-4 flex flex-wrap items-center gap-3 rounded-lg border border-amber-500 bg-amber-50 p-3 text-sm dark:bg-slate-900">
      <Button
        variant="warning"
        aria-pressed={running > 0}
        onClick={() => (running > 0 ? stopHostLoad() : startHostLoad())}
      >
        {running > 0 ? "Stop the host load" : "Load the host"}
      </Button>
      <span aria-live="polite" data-host-load={running}>
        {running > 0
          ? `${running} busy loop${running === 1 ? "" : "s"} running on the host, outside any VM.`
          : "The host is idle apart from the VMs."}
      </span>
    </div>
  );
}
