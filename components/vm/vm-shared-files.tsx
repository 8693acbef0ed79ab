"use client";

import { useCallback, useEffect, useId, useState, type DragEvent } from "react";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";
import {
  checkIncomingFile,
  checkSharedPath,
  SHARED_FOLDER,
  type SharedEntry,
} from "@/lib/emulator/shared-folder";
import { downloadBlob } from "@/lib/download";
import { cn } from "@/lib/cn";
import { Button, buttonClass } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { formatBytes } from "./format";

type Note = { text: string; error?: boolean };

/**
 * "Files": the VM's shared folder (/root/shared in the guest, v86's 9p filesystem). Files the
 * learner drops or chooses go in; a file the guest made comes out by its path in the folder.
 */
export function VmSharedFiles({ machine, state }: { machine: VmMachine; state: VmState }) {
  const [entries, setEntries] = useState<SharedEntry[]>([]);
  const [path, setPath] = useState("");
  const [note, setNote] = useState<Note>();
  const [dragging, setDragging] = useState(false);
  const ids = useId();
  const usable = state === "running" || state === "paused";

  const refresh = useCallback(async () => {
    try {
      setEntries((await machine.listSharedFiles()).entries);
    } catch {
      setEntries([]);
    }
  }, [machine]);
  useEffect(() => {
    if (!usable) return;
    let current = true;
    machine.listSharedFiles().then(
      (list) => current && setEntries(list.entries),
      () => current && setEntries([]),
    );
    return () => {
      current = false;
    };
  }, [usable, machine]);

  if (machine.config.boot === "baremetal") return null;

  const putFiles = async (files: File[]) => {
    const done: string[] = [];
    for (const file of files) {
      const checked = checkIncomingFile(file);
      if (!checked.ok) return setNote({ text: checked.error, error: true });
      try {
        await machine.putSharedFile(checked.value, await file.arrayBuffer());
        done.push(`${checked.value} (${formatBytes(file.size)})`);
      } catch (error) {
        await refresh();
        return setNote({ text: `Not put in: ${(error as Error).message}`, error: true });
      }
    }
    await refresh();
    if (done.length) setNote({ text: `Put in ${SHARED_FOLDER}: ${done.join(", ")}.` });
  };

  const download = async (input: string) => {
    const checked = checkSharedPath(input);
    if (!checked.ok) return setNote({ text: checked.error, error: true });
    try {
      const data = await machine.getSharedFile(checked.value);
      const name = checked.value.at(-1)!;
      downloadBlob(new Blob([data as Uint8Array<ArrayBuffer>]), name);
      setNote({ text: `Downloaded ${name} (${formatBytes(data.byteLength)}).` });
    } catch (error) {
      setNote({ text: `Not downloaded: ${(error as Error).message}`, error: true });
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (usable) void putFiles([...e.dataTransfer.files]);
  };

  return (
    <section aria-labelledby={`${ids}-title`} className="mt-3 text-sm">
      <h4 id={`${ids}-title`} className="font-semibold">
        Files{" "}
        <span className="font-normal text-slate-600 dark:text-slate-400">
          ({SHARED_FOLDER} in the guest)
        </span>
      </h4>
      <div
        data-drop-zone
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          "mt-1 flex flex-wrap items-center gap-2 rounded border border-dashed p-2",
          dragging ? "border-brand-600 bg-slate-100 dark:bg-slate-800" : "border-slate-400",
        )}
      >
        <label
          className={buttonClass({
            size: "sm",
            className: usable ? "cursor-pointer" : "opacity-50",
          })}
        >
          Choose files
          <input
            type="file"
            multiple
            disabled={!usable}
            className="sr-only"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = "";
              void putFiles(files);
            }}
          />
        </label>
        <span className="text-slate-600 dark:text-slate-400">
          {usable ? "or drop files here (up to 64 MiB each)" : "Start the VM to share files."}
        </span>
      </div>
      {entries.length > 0 && (
        <ul aria-label={`Shared files of ${machine.name}`} className="mt-2 space-y-1">
          {entries.map((entry) => (
            <li key={entry.name} className="flex flex-wrap items-center gap-2">
              <span className="font-mono break-all">{entry.name}</span>
              <span className="text-slate-600 dark:text-slate-400">
                {entry.kind === "file" ? formatBytes(entry.bytes) : entry.kind}
              </span>
              {entry.kind === "file" && (
                <Button
                  size="sm"
                  aria-label={`Download ${entry.name}`}
                  onClick={() => void download(entry.name)}
                >
                  Download
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        className="mt-2 flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void download(path);
        }}
      >
        <label htmlFor={`${ids}-path`}>File in {SHARED_FOLDER}</label>
        <Input
          id={`${ids}-path`}
          value={path}
          onChange={(e) => setPath(e.target.value)}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          placeholder="notes.txt"
          className="min-w-0 flex-1 py-1 font-mono text-sm"
        />
        <Button type="submit" size="sm" disabled={!usable}>
          Download file
        </Button>
        <Button size="sm" variant="quiet" disabled={!usable} onClick={() => void refresh()}>
          Refresh list
        </Button>
      </form>
      {note && (
        <p
          role={note.error ? "alert" : "status"}
          className={cn(
            "mt-1",
            note.error ? "text-red-700 dark:text-red-300" : "text-slate-700 dark:text-slate-300",
          )}
        >
          {note.text}
        </p>
      )}
    </section>
  );
}
