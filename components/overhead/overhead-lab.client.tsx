"use client";

import { useContext, useEffect, useState } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { LabContext } from "@/components/labs/lab-context";
import { ErrorBoundary } from "@/components/site/error-boundary.client";
import { OverheadPanelLoader } from "./overhead-panel-loader.client";

/** `<OverheadPanel />` in a lesson: the benchmark over the surrounding lab's machines. */
export function OverheadPanel() {
  const lab = useContext(LabContext);
  const handle = lab?.machines ?? null;
  const [machines, setMachines] = useState<readonly VmMachine[]>([]);
  useEffect(() => {
    if (!handle?.vmMachines) return;
    const read = () =>
      setMachines((old) => {
        const next = handle.vmMachines?.() ?? [];
        return next.length === old.length && next.every((m, i) => m === old[i]) ? old : next;
      });
    read();
    // The lab reports "state" when its machines are recreated (reset) as well as on state changes.
    return handle.subscribe((event) => {
      if (event.kind === "state") read();
    });
  }, [handle]);
  if (!lab) {
    return (
      <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
        The overhead panel measures a lab&apos;s machines: put it inside a &lt;Lab&gt;.
      </p>
    );
  }
  return (
    <div className="mt-4">
      <ErrorBoundary label="Overhead" what="The overhead panel" resetLabel="Reset this panel">
        <OverheadPanelLoader machines={machines} headingLevel={3} />
      </ErrorBoundary>
    </div>
  );
}
