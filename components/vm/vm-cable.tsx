"use client";

import { useSyncExternalStore } from "react";
import { NIC_LABELS, type NicChoice } from "@/lib/emulator/vm-config";
import type { VmNetwork } from "@/lib/emulator/vm-network";
import { Button } from "@/components/ui/button";

function useNetwork(network: VmNetwork | undefined): number {
  return useSyncExternalStore(
    (cb) => network?.events.on("change", cb) ?? (() => {}),
    () => network?.version ?? 0,
    () => 0,
  );
}

/** The VM's network card: its kind, MAC, the guest's addresses, and its cable to the switch. */
export function VmCable({
  name,
  network,
  nic,
}: {
  name: string;
  network: VmNetwork | undefined;
  nic?: NicChoice;
}) {
  useNetwork(network);
  if (!network) return null;
  const ips = network.guest.ips;
  const port = network.port;
  return (
    <div
      className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm"
      role="group"
      aria-label={`Cable and address of ${name}`}
    >
      <span>
        <span className="text-slate-600 dark:text-slate-400">Address </span>
        <span className="font-mono" data-stat="ip" title={ips.join(", ")}>
          {ips.length > 0 ? ips.map((ip) => ip.replace(/\/\d+$/, "")).join(" ") : "none"}
        </span>
      </span>
      {nic && (
        <span>
          <span className="text-slate-600 dark:text-slate-400">Card </span>
          <span data-stat="nic" data-nic={nic}>
            {NIC_LABELS[nic]}
          </span>
        </span>
      )}
      <span>
        <span className="text-slate-600 dark:text-slate-400">MAC </span>
        <span className="font-mono" data-stat="mac">
          {network.guest.mac ?? network.mac}
        </span>
      </span>
      {port ? (
        <>
          <span data-cable={port.plugged ? "plugged" : "unplugged"}>
            Cable: <strong>{port.plugged ? "plugged in" : "unplugged"}</strong>
          </span>
          <Button onClick={() => (port.plugged ? port.unplug() : port.plug())}>
            {port.plugged ? "Unplug cable" : "Plug cable"}
          </Button>
        </>
      ) : (
        <span className="text-slate-600 dark:text-slate-400">Not on the switch</span>
      )}
    </div>
  );
}
