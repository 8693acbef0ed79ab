"use client";

import { useEffect, useState } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import { DEFAULT_MTU, MAX_MTU } from "@/lib/emulator/virtual-switch";
import { Field } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { Select } from "@/components/ui/select";

const MTU_CHOICES = [DEFAULT_MTU, 9000, MAX_MTU] as const;

/** Re-renders when the switch reports counters (a few times a second) or its ports change. */
function useSwitchReports(host: VmHost): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    const offs = [host.events.on("machines", bump), host.switch.events.on("mtu", bump)];
    for (const port of host.switch.ports) offs.push(port.events.on("counters", bump));
    return () => offs.forEach((off) => off());
  });
  return tick;
}

/**
 * The page's virtual switch: its MTU and, for each VM's port, what crossed it. The switch runs in
 * a worker of its own; these counters come from it a few times a second, never per frame.
 */
export function SwitchPanel({ host }: { host: VmHost }) {
  useSwitchReports(host);
  const [error, setError] = useState<string>();
  const ports = host.switch.ports;
  if (ports.length === 0) return null;
  return (
    <Panel aria-labelledby="switch-heading" className="grid gap-3 p-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="switch-heading" className="text-lg font-semibold">
          Virtual switch
        </h2>
        <Field id="switch-mtu" label="MTU (bytes)" error={error}>
          {(c) => (
            <Select
              {...c}
              className="mt-1"
              value={String(host.switch.mtu)}
              onChange={(e) => setError(host.switch.setMtu(Number(e.target.value)))}
            >
              {MTU_CHOICES.map((mtu) => (
                <option key={mtu} value={mtu}>
                  {mtu}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Frames through each port of the switch</caption>
          <thead>
            <tr>
              <th scope="col">Port</th>
              <th scope="col">Frames in / out</th>
              <th scope="col">Bytes in / out</th>
              <th scope="col">Dropped</th>
            </tr>
          </thead>
          <tbody>
            {ports.map((port) => {
              const c = port.counters;
              return (
                <tr key={port.id} data-switch-port={port.name}>
                  <th scope="row" className="font-medium">
                    {port.name}
                  </th>
                  <td>
                    {c.rxPackets} / {c.txPackets}
                  </td>
                  <td>
                    {c.rxBytes} / {c.txBytes}
                  </td>
                  <td data-stat="net-dropped">{c.dropped}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
