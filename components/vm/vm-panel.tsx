"use client";

import { useEffect, useId, useState, type ReactNode } from "react";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";
import { cn } from "@/lib/cn";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { BOOT_MEDIA_LABELS } from "@/lib/emulator/vm-config";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { VmCable } from "./vm-cable";
import { VmConsole } from "./vm-console.client";
import { VmDiskExport } from "./vm-disk-export";
import { VmMemory } from "./vm-memory";
import { VmSnapshots } from "./vm-snapshots";
import { VmScreen } from "./vm-screen";
import { VmSharedFiles } from "./vm-shared-files";
import { VmStatsList } from "./vm-stats";
import { useVmState, useVmStats } from "./use-vm";

const STATE_TONE: Record<VmState, BadgeTone> = {
  booting: "warning",
  running: "success",
  paused: "muted",
  stopped: "neutral",
  crashed: "danger",
};

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
  // The panel is drawn when it comes near the screen: get the VM ready, so Start only resumes it.
  useEffect(() => machine.prewarm(), [machine]);

  const on = state !== "stopped";
  const config = machine.config;
  return (
    <Panel aria-label={`VM ${machine.name}`} data-vm-state={state} className="shadow-sm">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-lg font-semibold">{machine.name}</h3>
        <p aria-live="polite">
          <Badge tone={STATE_TONE[state]}>
            <span className="sr-only">State: </span>
            {state}
          </Badge>
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
        <Button disabled={on && state !== "crashed"} onClick={() => void machine.start()}>
          Start
        </Button>
        <Button
          disabled={on && state !== "crashed"}
          onClick={() => void machine.start({ cold: true })}
        >
          Cold boot
        </Button>
        {config.disk.kind === "blank" && config.boot !== "disk" && (
          <Button
            disabled={on && state !== "crashed"}
            onClick={() => void machine.start({ fromDisk: true })}
          >
            Boot from disk
          </Button>
        )}
        {state === "paused" ? (
          <Button onClick={() => machine.resume()}>Resume</Button>
        ) : (
          <Button
            disabled={state !== "running" && state !== "booting"}
            onClick={() => machine.pause()}
          >
            Pause
          </Button>
        )}
        <Button disabled={!on} onClick={() => machine.reset()}>
          Reset
        </Button>
        <Button disabled={!on} onClick={() => machine.powerOff()}>
          Power off
        </Button>
        {onDelete && (
          <Button variant="danger" onClick={() => onDelete(machine)}>
            Delete
          </Button>
        )}
      </div>
      <VmSnapshots machine={machine} state={state} onClone={onClone} />
      <VmDiskExport machine={machine} state={state} />
      <VmCable name={machine.name} network={machine.network} nic={machine.config.nic} />
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
          <Input
            id={commandId}
            value={command}
            onChange={(e) => setCommand(e.target.value)}
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            placeholder="Type a command (phones: easier than the console)"
            className="min-w-0 flex-1 py-1 font-mono text-sm"
          />
          <Button type="submit" disabled={!on}>
            Send
          </Button>
        </form>
      </div>
      <VmSharedFiles machine={machine} state={state} />
      <VmMemory machine={machine} state={state} />
      <div className="mt-3">
        <VmStatsList stats={stats} />
      </div>
    </Panel>
  );
}
