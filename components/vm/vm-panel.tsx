"use client";

import { useEffect, useId, useState, type ReactNode } from "react";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";
import { cn } from "@/lib/cn";
import { BOOT_MEDIA_LABELS } from "@/lib/emulator/vm-config";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { VmCable } from "./vm-cable";
import { VmConsole } from "./vm-console.client";
import { VmDiskExport } from "./vm-files";
import { VmSnapshots } from "./vm-snapshots";
import { VmScreen } from "./vm-screen";
import { VmStatsList } from "./vm-stats";
import { useVmState, useVmStats } from "./use-vm";

const STATE_STYLE: Record<VmState, string> = {
  booting: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  running: "bg-green-100 text-green-900 dark:bg-green-900 dark:text-green-100",
  paused: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100",
  stopped: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  crashed: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
};

const button =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";

export interface VmPanelProps {
  machine: VmMachine;
  /** Removes the VM; the playground passes the host's delete, a lab may hide it. */
  onDelete?: (machine: VmMachine) => void;
  /** Starts a new VM from one of this VM's snapshots, resolving with its name (Clone buttons). */
  onClone?: (snapshot: VmSnapshot) => Promise<string>;
  /** Where the VM's disk is kept and whether it is saved (the playground's storage). */
  diskStatus?: ReactNode;
}

/** One VM: state, lifecycle buttons, console, screen and live figures. Reusable by the lab engine. */
export function VmPanel({ machine, onDelete, onClone, diskStatus }: VmPanelProps) {
  const state = useVmState(machine);
  const stats = useVmStats(machine);
  const [message, setMessage] = useState<string>();
  const [view, setView] = useState<"console" | "screen">(
    machine.config.boot === "baremetal" ? "screen" : "console",
  );
  const [command, setCommand] = useState("");
  const commandId = useId();
  useEffect(() => machine.events.on("message", setMessage), [machine]);

  const on = state !== "stopped";
  const config = machine.config;
  return (
    <section
      aria-label={`VM ${machine.name}`}
      data-vm-state={state}
      className="rounded-xl border border-slate-200 p-4 shadow-sm dark:border-slate-800"
    >
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-lg font-semibold">{machine.name}</h3>
        <p
          className={cn("rounded-full px-2.5 py-0.5 text-sm font-medium", STATE_STYLE[state])}
          aria-live="polite"
        >
          <span className="sr-only">State: </span>
          {state}
        </p>
      </header>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        {BOOT_MEDIA_LABELS[config.boot]}, {config.memoryMb} MB
        {config.disk.kind === "blank" ? `, ${config.disk.sizeMb} MB disk` : ", no disk"}
        {config.network === "switch" ? ", on the virtual switch" : ", no network"}
        {machine.bootNote && on ? `. ${machine.bootNote}` : ""}
      </p>
      {diskStatus}
      <div
        className="mt-3 flex flex-wrap gap-2"
        role="group"
        aria-label={`Controls of ${machine.name}`}
      >
        <button
          type="button"
          className={button}
          disabled={on && state !== "crashed"}
          onClick={() => void machine.start()}
        >
          Start
        </button>
        <button
          type="button"
          className={button}
          disabled={on && state !== "crashed"}
          onClick={() => void machine.start({ cold: true })}
        >
          Cold boot
        </button>
        {config.disk.kind === "blank" && config.boot !== "disk" && (
          <button
            type="button"
            className={button}
            disabled={on && state !== "crashed"}
            onClick={() => void machine.start({ fromDisk: true })}
          >
            Boot from disk
          </button>
        )}
        {state === "paused" ? (
          <button type="button" className={button} onClick={() => machine.resume()}>
            Resume
          </button>
        ) : (
          <button
            type="button"
            className={button}
            disabled={state !== "running" && state !== "booting"}
            onClick={() => machine.pause()}
          >
            Pause
          </button>
        )}
        <button type="button" className={button} disabled={!on} onClick={() => machine.reset()}>
          Reset
        </button>
        <button type="button" className={button} disabled={!on} onClick={() => machine.powerOff()}>
          Power off
        </button>
        {onDelete && (
          <button
            type="button"
            className={cn(button, "text-red-700 dark:text-red-300")}
            onClick={() => onDelete(machine)}
          >
            Delete
          </button>
        )}
      </div>
      <VmSnapshots machine={machine} state={state} onClone={onClone} />
      <VmDiskExport machine={machine} state={state} />
      <VmCable name={machine.name} network={machine.network} />
      {message && (
        <p
          role="alert"
          className="mt-2 rounded bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {message}
        </p>
      )}
      <div className="mt-3">
        <div
          role="tablist"
          aria-label={`Views of ${machine.name}`}
          className="mb-2 flex gap-1 text-sm"
        >
          {(["console", "screen"] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={cn(
                "rounded px-2 py-1",
                view === v
                  ? "bg-slate-200 font-semibold dark:bg-slate-700"
                  : "hover:bg-slate-100 dark:hover:bg-slate-800",
              )}
              onClick={() => setView(v)}
            >
              {v === "console" ? "Serial console" : "Screen"}
            </button>
          ))}
        </div>
        <div role="tabpanel" aria-label={view === "console" ? "Serial console" : "Screen"}>
          {view === "console" ? <VmConsole machine={machine} /> : <VmScreen machine={machine} />}
        </div>
        <form
          className="mt-2 flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            machine.sendText(`${command}\n`);
            setCommand("");
          }}
        >
          <label htmlFor={commandId} className="sr-only">
            Command for {machine.name}
          </label>
          <input
            id={commandId}
            value={command}
            onChange={(e) => setCommand(e.target.value)}
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            placeholder="Type a command (phones: easier than the console)"
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
          />
          <button type="submit" className={button} disabled={!on}>
            Send
          </button>
        </form>
      </div>
      <div className="mt-3">
        <VmStatsList stats={stats} />
      </div>
    </section>
  );
}
