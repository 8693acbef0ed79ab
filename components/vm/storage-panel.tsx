"use client";

import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { MachinePersistence } from "@/lib/storage/machine-persistence";
import type { PlaygroundStorage } from "@/lib/storage/playground-storage";
import { storageRows } from "@/lib/storage/storage-overview";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm";
import { formatBytes } from "./format";
import { DURABILITY_PROMISE } from "./disk-save-status";
import { QuarantineList } from "./quarantine-list";
import { StoredVmsTable } from "./stored-vms-table";
import { useStorageOverview } from "./use-storage-overview";

/** The "Browser storage" section: what each VM keeps, quarantined records, and ways to free space. */
export function StoragePanel({
  host,
  storage,
  machines,
}: {
  host: VmHost;
  storage: PlaygroundStorage;
  machines: readonly VmMachine[];
}) {
  return (
    <section
      aria-labelledby="storage-heading"
      data-storage-state={storage.kind}
      data-restored={storage.kind === "ready" ? storage.restored : undefined}
      data-restore-ms={storage.kind === "ready" ? storage.restoreMs : undefined}
      className="grid gap-3"
    >
      <h2 id="storage-heading" className="text-xl font-semibold">
        Browser storage
      </h2>
      {storage.kind === "loading" && (
        <p className="text-sm">Opening this browser&apos;s storage…</p>
      )}
      {storage.kind === "unavailable" && (
        <p role="alert" className="text-sm text-red-800 dark:text-red-200">
          VMs will not be kept after a reload: browser storage is not available ({storage.reason}).
        </p>
      )}
      {storage.kind === "ready" && (
        <StorageDetails host={host} persistence={storage.persistence} machines={machines} />
      )}
    </section>
  );
}

function StorageDetails({
  host,
  persistence,
  machines,
}: {
  host: VmHost;
  persistence: MachinePersistence;
  machines: readonly VmMachine[];
}) {
  const { overview, state } = useStorageOverview(host, persistence);
  const { usage, estimate, problems, lastSave, slowest, note } = state;

  return (
    <div className="grid gap-3 text-sm">
      <p className="text-slate-700 dark:text-slate-300">
        VMs made here, their disks and snapshots are kept in this browser and come back (stopped)
        when you reload. {DURABILITY_PROMISE}
      </p>
      {problems.length > 0 && (
        <div
          role="alert"
          className="rounded bg-amber-50 p-2 text-amber-950 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-medium">Some stored records could not be used:</p>
          <ul className="list-disc pl-5" aria-label="Storage problems">
            {problems.map((p, i) => (
              <li key={i} data-storage-problem={p.what}>
                {p.what}: {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      <StoredVmsTable
        rows={storageRows(usage, machines)}
        totalBytes={usage?.totalBytes}
        quarantineBytes={usage?.quarantineBytes ?? 0}
        diskState={(vmId) => persistence.diskStatus(vmId).state}
        onForgetDisk={(row) => overview.forgetDisk(row)}
        onForgetSnapshots={(row) => overview.forgetSnapshots(row)}
      />
      {estimate.usage !== undefined && estimate.quota !== undefined && (
        <p data-stat="storage-estimate">
          This site uses {formatBytes(estimate.usage)} of the {formatBytes(estimate.quota)} the
          browser allows it
          {estimate.persisted ? " (kept even when the browser is short of space)." : "."}
        </p>
      )}
      {lastSave && (
        <p
          aria-live="polite"
          data-last-save-vm={lastSave.vmName}
          data-last-save-ms={Math.round(lastSave.ms)}
          data-last-save-generation={lastSave.generation}
          data-last-save-chunks={lastSave.chunksWritten}
          data-last-save-stored-bytes={lastSave.storedBytes}
          data-slowest-save-ms={slowest && Math.round(slowest.ms)}
          data-slowest-save-chunks={slowest?.chunksWritten}
          className="text-slate-700 dark:text-slate-300"
        >
          Saved the disk of {lastSave.vmName}: generation {lastSave.generation},{" "}
          {lastSave.chunksWritten} chunks written, {formatBytes(lastSave.storedBytes)} of{" "}
          {formatBytes(lastSave.sizeBytes)} stored, in {Math.round(lastSave.ms)} ms.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {estimate.persisted === false && (
          <Button onClick={() => void overview.askToKeep()}>Ask the browser to keep it</Button>
        )}
        <ConfirmButton
          label="Delete everything stored"
          question="Delete every stored VM, disk and snapshot, and the VMs on this page?"
          disabled={!usage}
          onConfirm={() => overview.deleteEverything()}
        />
      </div>
      {note && (
        <p aria-live="polite" className="text-slate-700 dark:text-slate-300">
          {note}
        </p>
      )}
      <QuarantineList
        entries={state.quarantine}
        onDownload={(id) => void overview.downloadQuarantined(id)}
        onDelete={(id) => overview.deleteQuarantined(id)}
      />
    </div>
  );
}
