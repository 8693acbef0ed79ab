"use client";

import { useEffect, useState } from "react";
import type { MemoryBoardView } from "@/lib/emulator/memory-board";
import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { useMachines, useVmState, useVmStats } from "@/components/vm/use-vm";
import { useLab } from "./lab-context";

const SLICE_COLOURS = ["bg-brand-600", "bg-emerald-600", "bg-amber-600", "bg-fuchsia-600"];

/**
 * The host as a hypervisor sees it: its memory as a bar cut into each running VM's slice plus what
 * is free, each slice split into the pages its guest has touched and the rest (the host's page
 * scan, lib/emulator/memory-board.ts, read once a second while the picture is shown), and each
 * VM's share of processor time over the last second (the CPU scheduler's run time, or its share of
 * all the VMs' instructions when the page has no scheduler).
 */
export function HostPictureView() {
  // The page's hypervisor, shared by its labs: the picture shows every VM on it.
  const host = useLab().machines?.host;
  if (!host) return null;
  return <HostPictureOf host={host} />;
}

function HostPictureOf({ host }: { host: VmHost }) {
  const machines = useMachines(host);
  const [, redraw] = useState(0);
  const [memory, setMemory] = useState<MemoryBoardView>(host.memory.current);
  useEffect(() => host.memory.watch(setMemory), [host]);
  // Slices change with the machines' states; one listener per machine redraws the bar.
  useEffect(() => {
    const offs = machines.map((machine) => machine.events.on("state", () => redraw((n) => n + 1)));
    return () => offs.forEach((off) => off());
  }, [machines]);
  const on = machines.filter((machine) => machine.state !== "stopped");
  const heldMb = on.reduce((sum, machine) => sum + machine.config.memoryMb, 0);
  const budgetMb = host.budgetMb;
  const totalMips = on.reduce((sum, machine) => sum + machine.currentStats.mipsNow, 0);
  return (
    <figure
      aria-label="Host picture"
      className="mt-4 rounded-xl border border-slate-300 bg-white p-4 text-sm dark:border-slate-700 dark:bg-slate-950"
    >
      <figcaption className="font-semibold">The host</figcaption>
      <p className="mt-2">
        Memory: <span data-stat="host-held-mb">{heldMb}</span> MB set aside for running VMs (a tab
        cannot hand memory back), of the {budgetMb} MB this page lets them use.
      </p>
      <div
        aria-hidden="true"
        className="mt-1 flex h-5 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
      >
        {on.map((machine, index) => {
          const touched = touchedMb(memory, machine);
          return (
            <div
              key={machine.id}
              title={`${machine.name}: ${machine.config.memoryMb} MB, ${touched} MB touched`}
              className="flex border-r border-white dark:border-slate-950"
              style={{ width: `${(100 * machine.config.memoryMb) / Math.max(budgetMb, heldMb)}%` }}
            >
              <div
                className={SLICE_COLOURS[index % SLICE_COLOURS.length]}
                style={{ width: `${(100 * touched) / machine.config.memoryMb}%` }}
              />
              <div className={`${SLICE_COLOURS[index % SLICE_COLOURS.length]} flex-1 opacity-30`} />
            </div>
          );
        })}
      </div>
      <p className="mt-1">
        Touched by their guests:{" "}
        <span data-stat="host-touched-mb">
          {on.reduce((sum, machine) => sum + touchedMb(memory, machine), 0)}
        </span>{" "}
        MB (the solid part of each slice); merging identical pages would free{" "}
        <span data-stat="host-mergeable-pages">{memory.mergeablePages}</span> pages.
      </p>
      {machines.length === 0 ? (
        <p className="mt-2 text-slate-700 dark:text-slate-300">No VM yet.</p>
      ) : (
        <ul className="mt-3 grid gap-1" aria-label="VMs on this host">
          {machines.map((machine) => (
            <HostPictureRow key={machine.id} machine={machine} totalMips={totalMips} />
          ))}
        </ul>
      )}
    </figure>
  );
}

/** MB of a VM's memory the host has had to provide (its held pages), 0 before the first scan. */
function touchedMb(memory: MemoryBoardView, machine: VmMachine): number {
  return Math.round((memory.vms.get(machine.id)?.heldPages ?? 0) / 256);
}

function HostPictureRow({ machine, totalMips }: { machine: VmMachine; totalMips: number }) {
  const state = useVmState(machine);
  const stats = useVmStats(machine);
  const on = state !== "stopped";
  const cpuPct = stats.cpu
    ? stats.cpu.runPct
    : totalMips > 0
      ? (100 * stats.mipsNow) / totalMips
      : 0;
  return (
    <li data-host-vm={machine.name} className="grid grid-cols-[6rem_1fr_auto] items-center gap-2">
      <span className="truncate font-mono">{machine.name}</span>
      <span aria-hidden="true" className="h-2 rounded bg-slate-200 dark:bg-slate-800">
        <span
          className="block h-2 rounded bg-brand-600"
          style={{ width: `${Math.min(100, Math.round(on ? cpuPct : 0))}%` }}
        />
      </span>
      <span>
        {on ? `${machine.config.memoryMb} MB, ` : `${state}, `}
        <span data-stat="host-cpu-pct">{on ? Math.round(cpuPct) : 0}</span> %{" "}
        {stats.cpu ? "CPU" : "of the VMs' work"}
      </span>
    </li>
  );
}
