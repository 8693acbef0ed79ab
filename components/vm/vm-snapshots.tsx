"use client";

import { useState, useSyncExternalStore } from "react";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";
import {
  restoreSnapshot,
  takeSnapshot,
  type SnapshotActionResult,
} from "@/lib/emulator/snapshot-actions";
import { exportSnapshot } from "@/lib/storage/snapshot-export";
import { Button } from "@/components/ui/button";
import { formatBytes } from "./format";

function useSnapshots(machine: VmMachine): readonly VmSnapshot[] {
  return useSyncExternalStore(
    (cb) => machine.snapshots.events.on("change", cb),
    () => machine.snapshots.all,
    () => machine.snapshots.all,
  );
}

export interface VmSnapshotsProps {
  machine: VmMachine;
  state: VmState;
  /** Starts a new VM from the snapshot; resolves with its name. Without it, no Clone buttons. */
  onClone?: (snapshot: VmSnapshot) => Promise<string>;
}

/** Snapshot button, and the VM's snapshots with Restore, Clone and Export (to a file). */
export function VmSnapshots({ machine, state, onClone }: VmSnapshotsProps) {
  const snapshots = useSnapshots(machine);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<SnapshotActionResult & { error?: boolean }>();

  const run = async (work: () => Promise<SnapshotActionResult>) => {
    setBusy(true);
    try {
      setStatus(await work());
    } catch (error) {
      setStatus({ text: (error as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };
  const canSave = state === "running" || state === "paused";
  return (
    <div className="mt-3 text-sm" role="group" aria-label={`Snapshots of ${machine.name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <Button disabled={!canSave || busy} onClick={() => void run(() => takeSnapshot(machine))}>
          Snapshot
        </Button>
        {status && (
          <p
            aria-live="polite"
            data-op-ms={status.ms === undefined ? undefined : Math.round(status.ms)}
            data-file-bytes={status.fileBytes}
            className={
              status.error ? "text-red-700 dark:text-red-300" : "text-slate-700 dark:text-slate-300"
            }
          >
            {status.text}
          </p>
        )}
      </div>
      {snapshots.length > 0 && (
        <ul className="mt-2 grid gap-1" aria-label={`Snapshots of ${machine.name}`}>
          {snapshots.map((s) => (
            <li
              key={s.id}
              data-snapshot={s.name}
              data-raw-bytes={s.rawBytes}
              data-stored-bytes={s.data.byteLength}
              data-take-ms={s.takeMs}
              className="flex flex-wrap items-center gap-2 border-b border-slate-200 py-1 dark:border-slate-800"
            >
              <span className="font-mono">{s.name}</span>
              <span className="text-slate-600 dark:text-slate-400">
                {new Date(s.createdAt).toLocaleTimeString()}, {formatBytes(s.rawBytes)} →{" "}
                {formatBytes(s.data.byteLength)} ({s.format})
              </span>
              <Button
                aria-label={`Restore ${s.name}`}
                disabled={busy}
                onClick={() => void run(() => restoreSnapshot(machine, s))}
              >
                Restore
              </Button>
              {onClone && (
                <Button
                  aria-label={`Clone ${s.name}`}
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      const name = await onClone(s);
                      return { text: `Cloned ${s.name} as ${name}.` };
                    })
                  }
                >
                  Clone
                </Button>
              )}
              <Button
                aria-label={`Export ${s.name}`}
                disabled={busy}
                onClick={() => void run(() => exportSnapshot(machine, s))}
              >
                Export
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
