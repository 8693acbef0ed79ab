"use client";

import { useEffect, useId, useRef, useState } from "react";
import {
  BALLOON_GUEST_FLOOR_MB,
  checkBalloonTarget,
  type GuestMemoryStats,
} from "@/lib/emulator/balloon-rules";
import type { MemoryBoardView, VmMemoryView } from "@/lib/emulator/memory-board";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

const MIB = 1024 * 1024;
/** 4 KiB pages in one MB, for figures in MB. */
const PAGES_PER_MB = 256;
const mb = (pages: number) => Math.round(pages / PAGES_PER_MB);
/** What one press of Inflate or Deflate adds to or takes from the balloon's target. */
const BALLOON_STEP_MB = 16;

/** The guest's own figures, as `free -m` names them: stat, label, field of its statistics. */
const GUEST_FIGURES: [string, string, keyof GuestMemoryStats][] = [
  ["guest-total-mb", "Total", "totalBytes"],
  ["guest-free-mb", "Free", "freeBytes"],
  ["guest-available-mb", "Available", "availableBytes"],
  ["guest-caches-mb", "Caches", "cachesBytes"],
];

interface Figure {
  stat: string;
  label: string;
  value: number | undefined;
  unit: string;
  title?: string;
}

function Figures({ title, figures }: { title: string; figures: Figure[] }) {
  return (
    <div>
      <h5 className="font-semibold">{title}</h5>
      <dl className="mt-1 text-sm">
        {figures.map((f) => (
          <div
            key={f.stat}
            className="flex justify-between gap-2 border-b border-slate-200 py-0.5 dark:border-slate-800"
          >
            <dt className="text-slate-600 dark:text-slate-400" title={f.title}>
              {f.label}
            </dt>
            <dd className="font-mono tabular-nums">
              <span data-stat={f.stat}>{f.value === undefined ? "–" : f.value}</span>
              {f.value === undefined ? "" : ` ${f.unit}`}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** One bar of the VM's RAM: held and in use, held but zero, in the balloon, never provided. */
function MemoryBar({ view }: { view: VmMemoryView }) {
  const balloon = view.balloon.sizeMb * PAGES_PER_MB;
  const parts = [
    { pages: view.heldPages - view.heldZeroPages, label: "held, in use", tone: "bg-sky-600" },
    { pages: view.heldZeroPages, label: "held, zero", tone: "bg-sky-300" },
    { pages: balloon, label: "in the balloon", tone: "bg-amber-400" },
    {
      pages: Math.max(0, view.pages - view.heldPages - balloon),
      label: "not provided",
      tone: "bg-slate-200 dark:bg-slate-700",
    },
  ];
  return (
    <div aria-hidden="true" className="mt-2">
      <div className="flex h-3 overflow-hidden rounded">
        {parts.map((p) => (
          <div
            key={p.label}
            className={p.tone}
            style={{ width: `${(100 * p.pages) / view.pages}%` }}
          />
        ))}
      </div>
      <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-600 dark:text-slate-400">
        {parts.map((p) => (
          <span key={p.label}>
            <span className={`mr-1 inline-block h-2 w-2 rounded-sm ${p.tone}`} />
            {p.label}
          </span>
        ))}
      </p>
    </div>
  );
}

function useMemoryView(machine: VmMachine, watching: boolean): MemoryBoardView | undefined {
  const board = machine.memoryBoard;
  const [view, setView] = useState<MemoryBoardView | undefined>(board?.current);
  useEffect(() => (watching && board ? board.watch(setView) : undefined), [board, watching]);
  return view;
}

/**
 * "Memory": the guest's own figures (its balloon statistics, like `free`) beside the host's view
 * of the same RAM (pages held, zero, shared with other VMs), and the balloon's target. Read once
 * a second while open (memory-board.ts); closed, nothing is scanned.
 */
export function VmMemory({ machine, state }: { machine: VmMachine; state: VmState }) {
  const [open, setOpen] = useState(false);
  const usable = state === "running" || state === "paused";
  const board = useMemoryView(machine, open && usable);
  const view = usable ? board?.vms.get(machine.id) : undefined;
  const [draft, setDraft] = useState("0");
  // The target last asked for: Inflate/Deflate clicks in a row each build on the one before.
  const asked = useRef(0);
  const [note, setNote] = useState<{ text: string; error?: boolean }>();
  const ids = useId();
  if (!machine.memoryBoard || machine.config.boot === "baremetal") return null;

  const memoryMb = machine.config.memoryMb;
  const guest = view?.balloon.guest;
  const setBalloon = async (value: string) => {
    const target = Number(value);
    const check = checkBalloonTarget(target, memoryMb);
    if (!check.ok) return setNote({ text: check.error, error: true });
    asked.current = target;
    setDraft(String(target));
    try {
      await machine.balloon(target);
      machine.memoryBoard?.refresh();
      setNote({
        text: `Balloon target set to ${target} MB; the guest gives the pages at its pace.`,
      });
    } catch (error) {
      setNote({ text: `Balloon not set: ${(error as Error).message}`, error: true });
    }
  };
  const hint = async () => {
    try {
      const bytes = await machine.hintFreePages();
      machine.memoryBoard?.refresh();
      setNote({ text: `The guest hinted ${Math.round(bytes / MIB)} MB of free pages.` });
    } catch (error) {
      setNote({ text: `No hint: ${(error as Error).message}`, error: true });
    }
  };

  const step = (mbDelta: number) =>
    void setBalloon(
      String(Math.min(memoryMb - BALLOON_GUEST_FLOOR_MB, Math.max(0, asked.current + mbDelta))),
    );

  return (
    <div className="mt-3 rounded border border-slate-200 p-2 dark:border-slate-800">
      <Button aria-expanded={open} onClick={() => setOpen(!open)}>
        Memory
      </Button>
      {!open ? null : !usable ? (
        <p className="mt-2 text-sm">Start the VM to see its memory.</p>
      ) : !view ? (
        <p className="mt-2 text-sm">Reading its memory…</p>
      ) : (
        <section aria-label={`Memory of ${machine.name}`}>
          <div className="mt-2 grid gap-4 sm:grid-cols-2">
            <Figures
              title="Guest's view (free -m)"
              figures={GUEST_FIGURES.map(([stat, label, field]) => ({
                stat,
                label,
                value: guest && Math.round(guest[field] / MIB),
                unit: "MB",
              }))}
            />
            <Figures
              title="Host's view (4 KiB pages)"
              figures={[
                {
                  stat: "memory-held-mb",
                  label: "Held by the host",
                  value: mb(view.heldPages),
                  unit: "MB",
                  title: "Pages the guest has written since it started, not given back",
                },
                {
                  stat: "memory-used-mb",
                  label: "In use now",
                  value: mb(view.usedPages),
                  unit: "MB",
                  title: "Pages that are not all zeros",
                },
                {
                  stat: "memory-held-zero-mb",
                  label: "Held, all zeros",
                  value: mb(view.heldZeroPages),
                  unit: "MB",
                  title: "Freed inside the guest; the host cannot tell without help",
                },
                {
                  stat: "shared-pages",
                  label: "Identical to another VM's",
                  value: view.sharedWithOthers,
                  unit: "pages",
                  title: "Pages a host that merges identical pages could keep once",
                },
              ]}
            />
          </div>
          <MemoryBar view={view} />
          <div className="mt-3 flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor={`${ids}-balloon`} className="block text-sm font-medium">
                Balloon target (MB)
              </label>
              <Input
                id={`${ids}-balloon`}
                type="range"
                min={0}
                max={memoryMb - BALLOON_GUEST_FLOOR_MB}
                step={4}
                value={draft}
                disabled={!view.balloon.present}
                onChange={(e) => setDraft(e.target.value)}
                className="w-48"
              />
            </div>
            <span className="text-sm">
              target <span className="font-mono">{draft}</span> MB, now{" "}
              <span className="font-mono" data-stat="balloon-mb">
                {view.balloon.sizeMb}
              </span>{" "}
              MB
            </span>
            <Button disabled={!view.balloon.present} onClick={() => void setBalloon(draft)}>
              Set balloon
            </Button>
            <Button
              disabled={!view.balloon.present}
              title={`Target +${BALLOON_STEP_MB} MB`}
              onClick={() => step(BALLOON_STEP_MB)}
            >
              Inflate
            </Button>
            <Button
              disabled={!view.balloon.present}
              title={`Target -${BALLOON_STEP_MB} MB`}
              onClick={() => step(-BALLOON_STEP_MB)}
            >
              Deflate
            </Button>
            <Button disabled={!view.balloon.present} onClick={() => void hint()}>
              Give back free pages
            </Button>
          </div>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            Inflate and Deflate move the target by {BALLOON_STEP_MB} MB a press.
          </p>
          {!view.balloon.present && (
            <p className="mt-2 text-sm">
              This VM runs from a snapshot made before VMs had a balloon; it has one after a fresh
              start.
            </p>
          )}
          {note && (
            <p
              role={note.error ? "alert" : "status"}
              className={
                note.error ? "mt-2 text-sm text-red-700 dark:text-red-300" : "mt-2 text-sm"
              }
            >
              {note.text}
            </p>
          )}
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
            A tab&apos;s WebAssembly memory never shrinks: pages given back here are pages a host
            could hand to another VM, and that a snapshot no longer stores, not a smaller tab.
          </p>
        </section>
      )}
    </div>
  );
}
