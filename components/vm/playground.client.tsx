"use client";

import type { VmHost } from "@/lib/emulator/vm-host";
import { cloneFromSnapshot } from "@/lib/emulator/snapshot-actions";
import { OverheadPanelLoader } from "@/components/overhead/overhead-panel-loader.client";
import { ErrorBoundary } from "@/components/site/error-boundary.client";
import { CreateVmForm } from "./create-vm-form";
import { DownloadProgressBar } from "./download-progress";
import { HostCpuPanel } from "./host-cpu";
import { SwitchPanel } from "./switch-panel";
import { MipsChart } from "./mips-chart";
import { VmImport } from "./vm-import";
import { VmPanel } from "./vm-panel";
import { DiskSaveStatus } from "./disk-save-status";
import { StoragePanel } from "./storage-panel";
import { usePlaygroundStorage } from "./use-playground-storage";
import { useDownloadProgress, useMachines, useNow } from "./use-vm";
import { useVmHost } from "./use-vm-host";

/** The free sandbox: a create form, every VM's panel and one chart of their speeds. */
export function Playground() {
  const host = useVmHost();
  if (!host) return <PlaygroundSkeleton />;
  return <PlaygroundWith host={host} />;
}

function PlaygroundWith({ host }: { host: VmHost }) {
  const machines = useMachines(host);
  const progress = useDownloadProgress(host);
  const now = useNow(1000);
  // Stored VMs come back here; labs make their own machines and keep nothing.
  const storage = usePlaygroundStorage(host);
  return (
    <div className="grid gap-6">
      <section aria-labelledby="create-vm-heading" className="grid gap-3">
        <h2 id="create-vm-heading" className="text-xl font-semibold">
          Create a virtual machine
        </h2>
        <CreateVmForm host={host} />
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Memory in use by this page&apos;s VMs:{" "}
          <span data-stat="budget-used-mb">{host.usedMb}</span> MB of{" "}
          <span data-stat="budget-mb">{host.budgetMb}</span> MB (emulator overhead included).
        </p>
        <DownloadProgressBar progress={progress} />
      </section>
      <VmImport host={host} machines={machines} />
      {machines.length > 0 && (
        <section aria-labelledby="vms-heading" className="grid gap-4">
          <h2 id="vms-heading" className="text-xl font-semibold">
            Your VMs
          </h2>
          <MipsChart machines={machines} now={now} />
          <HostCpuPanel host={host} machines={machines} />
          <SwitchPanel host={host} />
          <div className="grid gap-4 xl:grid-cols-2">
            {machines.map((m) => (
              <ErrorBoundary
                key={m.id}
                label={`VM ${m.name}`}
                what={`VM ${m.name}`}
                resetLabel="Reset this panel"
                onReset={() => m.powerOff()}
              >
                <VmPanel
                  machine={m}
                  diskStatus={
                    storage.kind === "ready" && m.config.disk.kind === "blank" ? (
                      <DiskSaveStatus persistence={storage.persistence} vmId={m.id} now={now} />
                    ) : undefined
                  }
                  onDelete={(vm) => void host.delete(vm)}
                  onClone={(snapshot) => cloneFromSnapshot(host, m, snapshot)}
                />
              </ErrorBoundary>
            ))}
          </div>
        </section>
      )}
      {machines.length > 0 && (
        <ErrorBoundary label="Overhead" what="The overhead panel" resetLabel="Reset this panel">
          <OverheadPanelLoader machines={machines} />
        </ErrorBoundary>
      )}
      <StoragePanel host={host} storage={storage} machines={machines} />
    </div>
  );
}

export function PlaygroundSkeleton() {
  return (
    <div
      aria-hidden="true"
      className="h-[26rem] animate-pulse rounded-xl border border-dashed border-slate-300 dark:border-slate-700"
    />
  );
}
