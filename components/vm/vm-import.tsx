"use client";

import { useId, useRef, useState, type ChangeEvent } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { VM_FILE_EXTENSIONS } from "@/lib/storage/vm-file";
import { importVmFile } from "@/lib/storage/vm-import";
import { Field } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { Select } from "@/components/ui/select";

const NEW_VM = "";

type ImportStatus =
  | { kind: "idle" }
  | { kind: "busy"; text: string }
  | { kind: "error"; text: string }
  | { kind: "done"; text: string; ms: number };

// The file input's own button, drawn like the other buttons.
const fileInput =
  "rounded-md text-sm file:mr-3 file:rounded-md file:border file:border-slate-400 file:bg-white file:px-3 file:py-1.5 file:font-medium hover:file:bg-slate-100 dark:file:border-slate-600 dark:file:bg-slate-900 dark:file:text-white";

/**
 * "Import a disk or snapshot": a disk becomes a new VM that boots from it; a snapshot becomes a
 * new VM restored from it, or joins a chosen VM's snapshots when that VM can restore it.
 */
export function VmImport({ host, machines }: { host: VmHost; machines: readonly VmMachine[] }) {
  const [status, setStatus] = useState<ImportStatus>({ kind: "idle" });
  const [target, setTarget] = useState(NEW_VM);
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const inputId = useId();
  const targetId = useId();
  const busy = status.kind === "busy";

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    event.target.value = "";
    if (!chosen) return;
    setStatus({ kind: "busy", text: `Reading ${chosen.name}…` });
    const done = await importVmFile(
      host,
      chosen,
      machines.find((m) => m.id === target),
    );
    setStatus(
      done.ok ? { kind: "done", text: done.text, ms: done.ms } : { kind: "error", text: done.text },
    );
    input.current?.focus();
  };

  return (
    <Panel aria-labelledby={headingId} aria-busy={busy} className="grid gap-2 text-sm">
      <h2 id={headingId} className="text-lg font-semibold">
        Import a disk or snapshot
      </h2>
      <p className="text-slate-700 dark:text-slate-300">
        A <code>{VM_FILE_EXTENSIONS.disk}</code> file becomes a new VM that boots from that disk. A{" "}
        <code>{VM_FILE_EXTENSIONS.snapshot}</code> file starts a new VM from the snapshot, or is
        added to the snapshots of the VM you choose.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <Field id={targetId} label="A snapshot goes to" className="grid gap-1">
          {(control) => (
            <Select
              {...control}
              value={target}
              disabled={busy}
              onChange={(e) => setTarget(e.target.value)}
            >
              <option value={NEW_VM}>A new VM</option>
              {machines.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}&apos;s snapshots
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id={inputId} label="Disk or snapshot file" className="grid gap-1">
          {(control) => (
            <input
              {...control}
              ref={input}
              type="file"
              accept={`${VM_FILE_EXTENSIONS.disk},${VM_FILE_EXTENSIONS.snapshot}`}
              disabled={busy}
              onChange={(e) => void onFile(e)}
              className={fileInput}
            />
          )}
        </Field>
      </div>
      {status.kind === "busy" && (
        <p aria-live="polite" className="text-slate-700 dark:text-slate-300">
          {status.text}
        </p>
      )}
      {status.kind === "done" && (
        <p
          aria-live="polite"
          data-import-ms={Math.round(status.ms)}
          className="text-slate-700 dark:text-slate-300"
        >
          {status.text}
        </p>
      )}
      {status.kind === "error" && (
        <p
          role="alert"
          className="rounded bg-red-50 p-2 text-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {status.text}
        </p>
      )}
    </Panel>
  );
}
