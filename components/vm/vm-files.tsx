"use client";

import { useId, useRef, useState } from "react";
import type { ChangeEvent } from "react";
import { snapshotFits, type VmSnapshot } from "@/lib/emulator/snapshots";
import { machineFor } from "@/lib/emulator/v86-options";
import { diskMb } from "@/lib/emulator/vm-config";
import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";
import {
  encodeDiskFile,
  encodeSnapshotFile,
  importedVmName,
  padToWholeMib,
  readVmFile,
  VM_FILE_EXTENSIONS,
  vmFileName,
  type VmFileContents,
} from "@/lib/storage/vm-file";
import { cn } from "@/lib/cn";
import { downloadBlob } from "@/lib/download";
import { formatBytes } from "./format";

const button =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";

/** Hands the browser a file to save; the object URL is released once the download has begun. */
function saveFile(parts: Uint8Array[], fileName: string): number {
  const blob = new Blob(parts as BlobPart[], { type: "application/octet-stream" });
  downloadBlob(blob, fileName);
  return blob.size;
}

export interface ExportResult {
  text: string;
  ms: number;
  fileBytes: number;
}

/** Saves one of a VM's snapshots as a `.vlabs-snapshot` file. */
export async function exportSnapshot(
  machine: VmMachine,
  snapshot: VmSnapshot,
): Promise<ExportResult> {
  const startedAt = performance.now();
  const parts = await encodeSnapshotFile({
    snapshot,
    vm: { diskMb: diskMb(machine.config), network: machine.config.network },
    exportedAt: new Date(),
  });
  const fileName = vmFileName("snapshot", `${machine.name}-${snapshot.name}`);
  const fileBytes = saveFile(parts, fileName);
  const ms = performance.now() - startedAt;
  return { text: `Exported ${fileName} (${formatBytes(fileBytes)}).`, ms, fileBytes };
}

/** "Export disk" for a VM with a hard disk: copies it (pausing a running guest), gzips, saves. */
export function VmDiskExport({ machine, state }: { machine: VmMachine; state: VmState }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error?: boolean; result?: ExportResult }>();
  if (machine.config.disk.kind !== "blank") return null;

  const exportDisk = async () => {
    setBusy(true);
    setStatus({ text: `Copying ${machine.name}'s disk…` });
    const startedAt = performance.now();
    // The copy is one piece of the disk at one instant; pausing keeps the guest from writing
    // while the copy is made. Data the guest still holds in memory is not on the disk yet.
    const pausedHere = machine.state === "running" || machine.state === "booting";
    if (pausedHere) {
      machine.pause();
      // Resume is only heard once the page knows the VM is paused.
      await stateReached(machine, "paused", 5_000);
    }
    try {
      const disk = await machine.readDisk();
      if (pausedHere) machine.resume();
      if (!disk) throw new Error(`${machine.name} has no disk`);
      setStatus({ text: `Compressing ${formatBytes(disk.byteLength)}…` });
      const parts = await encodeDiskFile({ name: machine.name, disk, exportedAt: new Date() });
      const fileName = vmFileName("disk", machine.name);
      const fileBytes = saveFile(parts, fileName);
      const ms = performance.now() - startedAt;
      setStatus({
        text: `Exported ${fileName}: ${formatBytes(disk.byteLength)} disk, ${formatBytes(fileBytes)} file, in ${Math.round(ms)} ms.`,
        result: { text: "", ms, fileBytes },
      });
    } catch (error) {
      if (pausedHere) machine.resume();
      setStatus({ text: `The disk was not exported: ${(error as Error).message}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      <button
        type="button"
        className={button}
        disabled={busy}
        aria-describedby={`${machine.id}-disk-export-note`}
        onClick={() => void exportDisk()}
      >
        Export disk
      </button>
      <span id={`${machine.id}-disk-export-note`} className="text-slate-600 dark:text-slate-400">
        {state === "running" || state === "booting"
          ? "Running: the VM is paused while its disk is copied; run sync in the guest first."
          : "Saves the disk as a file you can import again."}
      </span>
      {status && (
        <p
          aria-live="polite"
          data-disk-export-ms={status.result ? Math.round(status.result.ms) : undefined}
          data-disk-export-bytes={status.result?.fileBytes}
          className={
            status.error ? "text-red-700 dark:text-red-300" : "text-slate-700 dark:text-slate-300"
          }
        >
          {status.text}
        </p>
      )}
    </div>
  );
}

function stateReached(machine: VmMachine, state: VmState, timeoutMs: number): Promise<boolean> {
  if (machine.state === state) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, timeoutMs);
    const off = machine.events.on("state", (now) => {
      if (now !== state) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}

const NEW_VM = "";

type ImportStatus =
  | { kind: "idle" }
  | { kind: "busy"; text: string }
  | { kind: "error"; text: string }
  | { kind: "done"; text: string; ms: number };

/**
 * "Import a disk or snapshot": a disk becomes a new VM that boots from it; a snapshot becomes a
 * new VM restored from it, or joins a chosen VM's snapshots when that VM can restore it.
 * Nothing is created unless the whole file checks out.
 */
export function VmImport({ host, machines }: { host: VmHost; machines: readonly VmMachine[] }) {
  const [status, setStatus] = useState<ImportStatus>({ kind: "idle" });
  const [target, setTarget] = useState(NEW_VM);
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const inputId = useId();
  const targetId = useId();
  const busy = status.kind === "busy";
  const targetMachine = machines.find((m) => m.id === target);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    event.target.value = "";
    if (!chosen) return;
    const startedAt = performance.now();
    setStatus({ kind: "busy", text: `Reading ${chosen.name}…` });
    try {
      const manifest = await host.manifest();
      const read = await readVmFile(chosen, { v86Version: manifest.v86_version });
      if (!read.ok) {
        setStatus({ kind: "error", text: `${chosen.name}: ${read.error}` });
        return;
      }
      const done = await importContents(host, read.file, chosen.name, targetMachine);
      setStatus(
        done.ok
          ? { kind: "done", text: done.text, ms: performance.now() - startedAt }
          : { kind: "error", text: `${chosen.name}: ${done.error}` },
      );
    } catch (error) {
      setStatus({ kind: "error", text: `${chosen.name}: ${(error as Error).message}` });
    }
    input.current?.focus();
  };

  return (
    <section
      aria-labelledby={headingId}
      aria-busy={busy}
      className="grid gap-2 rounded-xl border border-slate-200 p-4 text-sm dark:border-slate-800"
    >
      <h2 id={headingId} className="text-lg font-semibold">
        Import a disk or snapshot
      </h2>
      <p className="text-slate-700 dark:text-slate-300">
        A <code>{VM_FILE_EXTENSIONS.disk}</code> file becomes a new VM that boots from that disk. A{" "}
        <code>{VM_FILE_EXTENSIONS.snapshot}</code> file starts a new VM from the snapshot, or is
        added to the snapshots of the VM you choose.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid gap-1">
          <label htmlFor={targetId} className="font-medium">
            A snapshot goes to
          </label>
          <select
            id={targetId}
            value={target}
            disabled={busy}
            onChange={(e) => setTarget(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value={NEW_VM}>A new VM</option>
            {machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}&apos;s snapshots
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1">
          <label htmlFor={inputId} className="font-medium">
            Disk or snapshot file
          </label>
          <input
            ref={input}
            id={inputId}
            type="file"
            accept={`${VM_FILE_EXTENSIONS.disk},${VM_FILE_EXTENSIONS.snapshot}`}
            disabled={busy}
            onChange={(e) => void onFile(e)}
            className={cn(
              "rounded-md text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:font-medium hover:file:bg-slate-100 dark:file:border-slate-700 dark:file:bg-slate-900 dark:file:text-white",
            )}
          />
        </div>
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
    </section>
  );
}

type Imported = { ok: true; text: string } | { ok: false; error: string };

async function importContents(
  host: VmHost,
  file: VmFileContents,
  fileName: string,
  target: VmMachine | undefined,
): Promise<Imported> {
  const names = host.machines.map((m) => m.name);
  if (file.kind === "disk") {
    const disk = padToWholeMib(file.disk);
    const name = importedVmName(fileName, file.metadata.name, names);
    const made = await host.create(
      { name, memoryMb: "128", boot: "disk", disk: "blank", diskSizeMb: "", network: "none" },
      { diskBytes: disk },
    );
    if (!made.ok) return { ok: false, error: createError(made) };
    return {
      ok: true,
      text: `Created ${name} with the ${formatBytes(file.metadata.diskBytes)} disk from the file; Start boots it from that disk.`,
    };
  }

  const snapshot = file.snapshot;
  const vm = file.metadata.vm;
  if (target) {
    const fits = snapshotFits(snapshot, {
      v86Version: snapshot.v86Version,
      machine: machineFor(target.config.memoryMb),
    });
    if (!fits.ok) return { ok: false, error: `It cannot go to ${target.name}: ${fits.error}.` };
    const targetDiskMb = diskMb(target.config);
    if (targetDiskMb !== vm.diskMb)
      return {
        ok: false,
        error: `It cannot go to ${target.name}: the snapshot holds ${vm.diskMb ? `a ${vm.diskMb} MB disk` : "no disk"}, ${target.name} has ${targetDiskMb ? `a ${targetDiskMb} MB disk` : "none"}.`,
      };
    const taken = target.snapshots.all.some((s) => s.name === snapshot.name);
    const added = { ...snapshot, name: taken ? target.snapshots.nextName() : snapshot.name };
    target.snapshots.add(added);
    return { ok: true, text: `Added ${added.name} to ${target.name}'s snapshots.` };
  }

  const name = importedVmName(fileName, snapshot.vmName, names);
  const made = await host.create({
    name,
    memoryMb: String(snapshot.machine.memory_mb),
    boot: snapshot.profile,
    disk: vm.diskMb > 0 ? "blank" : "none",
    diskSizeMb: String(vm.diskMb || ""),
    network: vm.network,
  });
  if (!made.ok) return { ok: false, error: createError(made) };
  made.machine.snapshots.add(snapshot);
  void made.machine.start({ state: snapshot });
  return { ok: true, text: `Started ${name} from ${snapshot.vmName}'s snapshot ${snapshot.name}.` };
}

function createError(made: { errors: Record<string, string | undefined>; budget?: string }) {
  return `No VM was created: ${made.budget ?? Object.values(made.errors).join(" ")}`;
}
