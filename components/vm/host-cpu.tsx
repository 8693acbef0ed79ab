"use client";

import { useState } from "react";
import { SHARE_LEVELS, type CpuSettings } from "@/lib/emulator/cpu-policy";
import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { Select } from "@/components/ui/select";
import { useHiddenTabPause } from "./use-hidden-tab-pause";
import { chooseCpuScheduler } from "./use-vm-host";
import { useNow, useVmStats } from "./use-vm";

/**
 * The host's view of its CPU: how many VMs may run at once, and for each VM what it got over the
 * last second (run) and how long it had work but waited for a core (ready), as a hypervisor's
 * performance charts show them. Each VM's shares, limit and reservation are set here too.
 */
export function HostCpuPanel({ host, machines }: { host: VmHost; machines: readonly VmMachine[] }) {
  const [cores, setCores] = useState(host.cpu?.cores ?? 1);
  const [coresError, setCoresError] = useState<string>();
  const hiddenTab = useHiddenTabPause(host);
  const hiddenTabControl = (
    <div className="grid gap-1 text-sm">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={hiddenTab.enabled}
          onChange={(e) => hiddenTab.setEnabled(e.target.checked)}
        />
        Pause VMs while this tab is hidden
      </label>
      <p role="status" data-hidden-tab-notice="">
        {hiddenTab.notice}
      </p>
    </div>
  );
  const schedulerToggle = (
    <label className="flex items-center gap-2 text-sm">
      <input
        type="checkbox"
        checked={Boolean(host.cpu)}
        onChange={(e) => {
          chooseCpuScheduler(e.target.checked);
          window.location.reload();
        }}
      />
      Use the CPU scheduler (reloads the page)
    </label>
  );
  if (!host.cpu)
    return (
      <Panel aria-labelledby="host-cpu-heading" className="grid gap-2 p-4">
        <h2 id="host-cpu-heading" className="text-lg font-semibold">
          Host CPU
        </h2>
        <p className="text-sm">
          {crossOriginIsolated
            ? "The CPU scheduler is off in this browser: the VMs take turns as your computer's operating system decides."
            : "The CPU scheduler needs a cross-origin isolated page, which this one is not (see the hosting notes): the VMs take turns as your computer's operating system decides."}
        </p>
        {crossOriginIsolated ? schedulerToggle : null}
        {hiddenTabControl}
      </Panel>
    );
  const changeCores = (value: number) => {
    const problems = host.setCpuCores(value);
    setCoresError(problems[0]);
    if (problems.length === 0) setCores(value);
  };
  return (
    <Panel aria-labelledby="host-cpu-heading" className="grid gap-3 p-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="host-cpu-heading" className="text-lg font-semibold">
          Host CPU
        </h2>
        <Field
          id="cpu-cores"
          label="Cores for VMs"
          error={coresError}
          hint={`At most this many VMs run at the same moment; this device has ${navigator.hardwareConcurrency ?? "?"} cores.`}
        >
          {(control) => (
            <Select
              {...control}
              value={cores}
              onChange={(e) => changeCores(Number(e.target.value))}
              className="ml-2"
            >
              {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <HostCpuTotal machines={machines} cores={cores} />
      <table className="w-full text-sm">
        <caption className="sr-only">CPU time per VM over the last second</caption>
        <thead>
          <tr className="text-left">
            <th scope="col">VM</th>
            <th scope="col">Run / ready (% of a core)</th>
            <th scope="col">Shares, limit, reservation</th>
          </tr>
        </thead>
        <tbody>
          {machines.map((m) => (
            <HostCpuRow key={m.id} host={host} machine={m} />
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Run: the VM executed guest code. Ready: it had work and waited for a core, the cost of
        running more busy VMs than there are cores. Idle VMs hold no core; one that wakes while
        every core is busy waits at most one turn (20 ms).
      </p>
      {schedulerToggle}
      {hiddenTabControl}
    </Panel>
  );
}

const SEGMENT_COLOURS = ["bg-emerald-600", "bg-sky-600", "bg-violet-600", "bg-rose-600"];

/** The whole host: each VM's slice of the cores for VMs over the last second, side by side. */
function HostCpuTotal({ machines, cores }: { machines: readonly VmMachine[]; cores: number }) {
  useNow(1000);
  const slices = machines.map((m) => ({ name: m.name, run: m.currentStats.cpu?.runPct ?? 0 }));
  const total = slices.reduce((sum, s) => sum + s.run, 0);
  return (
    <div className="grid gap-1 text-sm">
      <div
        className="flex h-4 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
        aria-hidden="true"
      >
        {slices.map((s, i) => (
          <div
            key={s.name}
            title={`${s.name}: ${s.run.toFixed(0)} %`}
            className={SEGMENT_COLOURS[i % SEGMENT_COLOURS.length]}
            style={{ width: `${Math.min(100, s.run / cores)}%` }}
          />
        ))}
      </div>
      <p>
        The VMs used <span data-stat="host-cpu-run-pct">{total.toFixed(0)}</span> % of a core, out
        of {cores * 100} % that {cores} core{cores > 1 ? "s" : ""} for VMs can give.
      </p>
    </div>
  );
}

function HostCpuRow({ host, machine }: { host: VmHost; machine: VmMachine }) {
  const stats = useVmStats(machine);
  const run = stats.cpu?.runPct ?? 0;
  const ready = stats.cpu?.readyPct ?? 0;
  const settingsNow = settingsKey(machine.cpuSettings);
  const [appliedHere, setAppliedHere] = useState<string>();
  return (
    <tr className="border-t border-slate-200 align-top dark:border-slate-800">
      <th scope="row" className="py-2 pr-2 text-left font-medium">
        {machine.name}
      </th>
      <td className="py-2 pr-2">
        <div
          className="flex h-3 w-full max-w-56 overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
          aria-hidden="true"
        >
          <div className="bg-emerald-600" style={{ width: `${run}%` }} />
          <div className="bg-amber-500" style={{ width: `${Math.min(ready, 100 - run)}%` }} />
        </div>
        <span className="font-mono tabular-nums">
          run <span data-stat="cpu-run-pct">{run.toFixed(0)}</span> %, ready{" "}
          <span data-stat="cpu-ready-pct">{ready.toFixed(0)}</span> %
        </span>
      </td>
      <td className="py-2">
        {/* Drawn afresh when the settings change (here or in the create form); whether they were
            just applied here is kept in the row, so that the form drawn afresh still says so. */}
        <CpuSettingsForm
          key={settingsNow}
          host={host}
          machine={machine}
          applied={appliedHere === settingsNow}
          onApplied={() => setAppliedHere(settingsKey(machine.cpuSettings))}
        />
      </td>
    </tr>
  );
}

type SharesChoice = keyof typeof SHARE_LEVELS | "custom";

function settingsKey({ shares, limitPct, reservationPct }: CpuSettings): string {
  return `${shares}/${limitPct ?? "-"}/${reservationPct}`;
}

function sharesChoiceOf(shares: number): SharesChoice {
  const level = Object.entries(SHARE_LEVELS).find(([, v]) => v === shares)?.[0];
  return (level as SharesChoice | undefined) ?? "custom";
}

/** Shares (low, normal, high or a number), limit and reservation; refusals said in place. */
function CpuSettingsForm({
  host,
  machine,
  applied,
  onApplied,
}: {
  host: VmHost;
  machine: VmMachine;
  /** These settings were applied from this form (it is drawn afresh when they change). */
  applied: boolean;
  onApplied: () => void;
}) {
  const current = machine.cpuSettings;
  const [choice, setChoice] = useState<SharesChoice>(sharesChoiceOf(current.shares));
  const [shares, setShares] = useState(String(current.shares));
  const [limit, setLimit] = useState(current.limitPct === null ? "" : String(current.limitPct));
  const [reservation, setReservation] = useState(String(current.reservationPct));
  const [problems, setProblems] = useState<string[]>([]);
  const id = `cpu-${machine.id}`;
  const apply = () => {
    const settings: CpuSettings = {
      shares: choice === "custom" ? Number(shares) : SHARE_LEVELS[choice],
      limitPct: limit.trim() === "" ? null : Number(limit),
      reservationPct: reservation.trim() === "" ? 0 : Number(reservation),
    };
    const refused = host.configureCpu(machine, settings);
    setProblems(refused);
    if (refused.length === 0) onApplied();
  };
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      aria-label={`CPU settings of ${machine.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <Field id={`${id}-shares`} label="Shares">
        {(control) => (
          <Select
            {...control}
            value={choice}
            onChange={(e) => setChoice(e.target.value as SharesChoice)}
            className="block"
          >
            <option value="low">Low (500)</option>
            <option value="normal">Normal (1000)</option>
            <option value="high">High (2000)</option>
            <option value="custom">Number</option>
          </Select>
        )}
      </Field>
      {choice === "custom" && (
        <Field id={`${id}-shares-n`} label="Share count">
          {(control) => (
            <Input
              {...control}
              inputMode="numeric"
              className="block w-24"
              value={shares}
              onChange={(e) => setShares(e.target.value)}
            />
          )}
        </Field>
      )}
      <Field id={`${id}-limit`} label="Limit (%)">
        {(control) => (
          <Input
            {...control}
            inputMode="numeric"
            placeholder="none"
            className="block w-20"
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
          />
        )}
      </Field>
      <Field id={`${id}-reservation`} label="Reservation (%)">
        {(control) => (
          <Input
            {...control}
            inputMode="numeric"
            className="block w-20"
            value={reservation}
            onChange={(e) => setReservation(e.target.value)}
          />
        )}
      </Field>
      <Button type="submit" size="sm">
        Apply
      </Button>
      <p role="status" className="w-full text-sm">
        {problems.length > 0 ? (
          <span className="text-red-700 dark:text-red-300">{problems.join("; ")}</span>
        ) : applied ? (
          "Applied."
        ) : null}
      </p>
    </form>
  );
}
