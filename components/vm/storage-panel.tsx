"use client";

import { useCallback, useEffect, useState } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { DiskSaved, MachinePersistence } from "@/lib/storage/machine-persistence";
import type { QuarantineSummary, StorageProblem, StorageUsage } from "@/lib/storage/machine-store";
import { quarantineFileName, quarantineJson } from "@/lib/storage/quarantine-file";
import { downloadBlob } from "@/lib/download";
import { formatBytes } from "./format";
import { ConfirmButton } from "./storage-confirm";
import { DURABILITY_PROMISE } from "./disk-save-status";
import type { PlaygroundStorage } from "./use-playground-storage";

const button =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";

interface Estimate {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

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
  const store = persistence.store;
  const [usage, setUsage] = useState<StorageUsage>();
  const [quarantine, setQuarantine] = useState<QuarantineSummary[]>([]);
  const [estimate, setEstimate] = useState<Estimate>({});
  const [problems, setProblems] = useState<readonly StorageProblem[]>(persistence.problems);
  const [lastSave, setLastSave] = useState<DiskSaved>();
  const [slowest, setSlowest] = useState<DiskSaved>();
  const [note, setNote] = useState<string>();
  // Re-render at once when a disk's saved/pending status changes.
  const [, setStatusTick] = useState(0);

  const refresh = useCallback(async () => {
    const [u, q] = await Promise.all([store.usage(), store.quarantined()]);
    setUsage(u);
    setQuarantine(q);
    const s = navigator.storage;
    if (s?.estimate) {
      const e = await s.estimate();
      setEstimate({ usage: e.usage, quota: e.quota, persisted: await s.persisted?.() });
    }
  }, [store]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Several changes in a row (a save, then a snapshot) refresh the figures once.
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 300);
    };
    const offs = [
      persistence.events.on("changed", later),
      persistence.events.on("problems", (p) => {
        setProblems(p);
        later();
      }),
      persistence.events.on("saved", (saved) => {
        setLastSave(saved);
        setSlowest((s) => (s && s.ms >= saved.ms ? s : saved));
      }),
      persistence.events.on("status", () => setStatusTick((n) => n + 1)),
    ];
    later();
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [persistence, refresh]);

  const nameOf = (vmId: string) => machines.find((m) => m.id === vmId)?.name;
  const rows = (usage?.vms ?? []).filter(
    (u) => u.stored || u.diskBytes + u.snapshotBytes > 0 || nameOf(u.vmId),
  );

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
      <table className="w-full text-left" aria-label="Stored VMs">
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th scope="col" className="py-1 pr-2">
              VM
            </th>
            <th scope="col" className="py-1 pr-2">
              Disk
            </th>
            <th scope="col" className="py-1 pr-2">
              Snapshots
            </th>
            <th scope="col" className="py-1">
              Free space
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => {
            const name = nameOf(u.vmId) ?? `${u.vmId} (not on this page)`;
            const machine = machines.find((m) => m.id === u.vmId);
            const running = machine !== undefined && machine.state !== "stopped";
            return (
              <tr
                key={u.vmId}
                data-vm-storage={name}
                data-stored={u.stored}
                data-installed={u.installed}
                data-disk-state={persistence.diskStatus(u.vmId).state}
                data-disk-bytes={u.diskBytes}
                data-snapshot-bytes={u.snapshotBytes}
                className="border-b border-slate-100 dark:border-slate-900"
              >
                <th scope="row" className="py-1 pr-2 font-normal">
                  {name}
                </th>
                <td className="py-1 pr-2">
                  {formatBytes(u.diskBytes)}
                  {u.installed ? ", installed system" : ""}
                  {persistence.diskStatus(u.vmId).state === "saved" ? "" : " (saving soon)"}
                </td>
                <td className="py-1 pr-2">{formatBytes(u.snapshotBytes)}</td>
                <td className="flex flex-wrap gap-2 py-1">
                  <ConfirmButton
                    label="Delete disk"
                    ariaLabel={`Delete the stored disk of ${name}`}
                    question={`Delete ${name}'s stored disk? After a reload it starts with a blank disk.`}
                    disabled={u.diskBytes === 0 || running}
                    onConfirm={async () => {
                      await persistence.forgetDisk(u.vmId);
                      setNote(`Deleted ${name}'s stored disk.`);
                    }}
                  />
                  <ConfirmButton
                    label="Delete snapshots"
                    ariaLabel={`Delete the stored snapshots of ${name}`}
                    question={`Delete ${name}'s snapshots?`}
                    disabled={u.snapshotBytes === 0}
                    onConfirm={async () => {
                      await persistence.forgetSnapshots(u.vmId);
                      setNote(`Deleted ${name}'s snapshots.`);
                    }}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" className="py-1 pr-2 text-left">
              Total
            </th>
            <td
              colSpan={3}
              className="py-1"
              data-stat="storage-total-bytes"
              data-bytes={usage?.totalBytes}
            >
              {usage ? formatBytes(usage.totalBytes) : "…"}
              {usage &&
                usage.quarantineBytes > 0 &&
                ` (quarantine ${formatBytes(usage.quarantineBytes)})`}
            </td>
          </tr>
        </tfoot>
      </table>
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
          <button
            type="button"
            className={button}
            onClick={() =>
              void navigator.storage.persist().then((granted) => {
                setEstimate((e) => ({ ...e, persisted: granted }));
                setNote(
                  granted
                    ? "The browser will keep this site's storage when it runs short of space."
                    : "The browser did not agree to keep this site's storage; it may clear it when short of space.",
                );
              })
            }
          >
            Ask the browser to keep it
          </button>
        )}
        <ConfirmButton
          label="Delete everything stored"
          question="Delete every stored VM, disk and snapshot, and the VMs on this page?"
          disabled={!usage}
          onConfirm={async () => {
            for (const m of [...host.machines]) await host.delete(m);
            await persistence.flush();
            await store.clearAll();
            await refresh();
            setNote("Deleted everything stored for the playground.");
          }}
        />
      </div>
      {note && (
        <p aria-live="polite" className="text-slate-700 dark:text-slate-300">
          {note}
        </p>
      )}
      {quarantine.length > 0 && (
        <div className="grid gap-2">
          <h3 className="font-semibold">Set aside (quarantine)</h3>
          <p className="text-slate-700 dark:text-slate-300">
            These records could not be used. Nothing was thrown away: download one to keep it, or
            delete it.
          </p>
          <ul className="grid gap-1" aria-label="Quarantined records">
            {quarantine.map((q) => (
              <li
                key={q.id}
                data-quarantined={q.what}
                className="flex flex-wrap items-center gap-2 border-b border-slate-200 py-1 dark:border-slate-800"
              >
                <span>
                  <span className="font-medium">{q.what}</span>: {q.reason} (
                  {new Date(q.quarantinedAt).toLocaleString()}, {formatBytes(q.bytes)})
                </span>
                <button
                  type="button"
                  className={button}
                  aria-label={`Download ${q.what}`}
                  onClick={() =>
                    void store.quarantineEntry(q.id).then((entry) => {
                      if (entry)
                        downloadBlob(
                          new Blob([quarantineJson(entry)], { type: "application/json" }),
                          quarantineFileName({ ...entry, id: q.id }),
                        );
                    })
                  }
                >
                  Download
                </button>
                <ConfirmButton
                  label="Delete"
                  ariaLabel={`Delete ${q.what}`}
                  question={`Delete the quarantined ${q.what} for good?`}
                  onConfirm={async () => {
                    await store.deleteQuarantined(q.id);
                    await refresh();
                  }}
                />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
