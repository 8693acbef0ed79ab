"use client";

import { useState } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { exportDisk, type DiskExported } from "@/lib/storage/disk-export";
import { Button } from "@/components/ui/button";

type Status = { text: string; done?: DiskExported };

/** "Export disk" for a VM with a hard disk: copies it (pausing a running guest), gzips, saves. */
export function VmDiskExport({
  machine,
  state,
}: {
  machine: VmMachine;
  state: VmMachine["state"];
}) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>();
  if (machine.config.disk.kind !== "blank") return null;

  const onExport = async () => {
    setBusy(true);
    const done = await exportDisk(machine, { onProgress: (text) => setStatus({ text }) });
    setStatus({ text: done.text, done });
    setBusy(false);
  };
  const exported = status?.done?.ok ? status.done : undefined;
  const noteId = `${machine.id}-disk-export-note`;

  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      <Button disabled={busy} aria-describedby={noteId} onClick={() => void onExport()}>
        Export disk
      </Button>
      <span id={noteId} className="text-slate-600 dark:text-slate-400">
        {state === "running" || state === "booting"
          ? "Running: the VM is paused while its disk is copied; run sync in the guest first."
          : "Saves the disk as a file you can import again."}
      </span>
      {status && (
        <p
          aria-live="polite"
          data-disk-export-ms={exported ? Math.round(exported.ms) : undefined}
          data-disk-export-bytes={exported?.fileBytes}
          className={
            status.done?.ok === false
              ? "text-red-700 dark:text-red-300"
              : "text-slate-700 dark:text-slate-300"
          }
        >
          {status.text}
        </p>
      )}
    </div>
  );
}
