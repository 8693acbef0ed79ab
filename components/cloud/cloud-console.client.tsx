"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";
import { useVmHost } from "@/components/vm/use-vm-host";
import { VmPanel } from "@/components/vm/vm-panel";
import type { Cloud, Instance } from "@/lib/cloud/cloud";
import type { CloudPersistence } from "@/lib/cloud/cloud-persistence";
import { PAGE_NETWORK_CIDR } from "@/lib/cloud/launch-input";
import type { VmHost } from "@/lib/emulator/vm-host";
import { InstancesTable } from "./instances-table";
import { LaunchForm } from "./launch-form";
import { LoadBalancers } from "./load-balancers";
import { ScalingGroups } from "./scaling-groups";
import { SecurityGroupsEditor } from "./security-groups-editor";
import { useCloud, useCloudVersion, useKeeping, useNow } from "./use-cloud";

/** The cloud console on a page of its own: its own hypervisor and cloud. */
export function StandaloneCloudConsole() {
  const host = useVmHost();
  return <CloudConsoleOn host={host} scope="cloud-page" />;
}

/**
 * The console over a given host (a lab's, or the page's own), keeping its cloud in this browser
 * under `scope`; `onCloud` hears the cloud once it is there (a lab resets it).
 */
export function CloudConsoleOn({
  host,
  scope,
  onCloud,
}: {
  host: VmHost | undefined;
  scope: string;
  onCloud?: (cloud: Cloud) => (() => void) | void;
}) {
  const made = useCloud(host, scope);
  const cloud = made?.cloud;
  useEffect(() => (cloud ? onCloud?.(cloud) : undefined), [cloud, onCloud]);
  if (!made) return <p className="text-sm">Starting the console...</p>;
  return (
    <div className="grid gap-3">
      <KeepingStatus persistence={made.persistence} />
      <CloudConsole cloud={made.cloud} />
    </div>
  );
}

/** Whether this browser keeps the console's cloud, and what a load set aside. */
function KeepingStatus({ persistence }: { persistence: CloudPersistence }) {
  const keeping = useKeeping(persistence);
  // One sentence while it keeps (saves come every few seconds with a scaling group: the words
  // would flicker); data-cloud-kept says whether the last change is stored yet.
  const text =
    keeping.status === "off" || keeping.status === "failed"
      ? keeping.message
      : "Kept in this browser: instances, images, groups and balancers come back after a reload (instances stopped).";
  return (
    <div className="grid gap-2 text-sm">
      <p
        data-cloud-kept={keeping.status}
        role={keeping.status === "failed" ? "alert" : undefined}
        className={
          keeping.status === "failed"
            ? "text-red-800 dark:text-red-300"
            : "text-slate-600 dark:text-slate-400"
        }
      >
        {text}
      </p>
      {keeping.setAside.length > 0 ? (
        <div
          role="alert"
          data-cloud-set-aside
          className="rounded-md bg-amber-50 p-3 text-amber-900 dark:bg-slate-800 dark:text-amber-300"
        >
          <p>
            {keeping.setAside.length === 1
              ? "A kept record"
              : `${keeping.setAside.length} kept records`}{" "}
            of this cloud could not be read and {keeping.setAside.length === 1 ? "was" : "were"} set
            aside (in this browser&apos;s quarantine); the rest came back:
          </p>
          <ul className="mt-1 list-disc pl-5">
            {keeping.setAside.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <Panel aria-labelledby={id} className="grid gap-3 p-4">
      <h3 id={id} className="text-lg font-semibold">
        {title}
      </h3>
      {children}
    </Panel>
  );
}

/**
 * Launch, instances, security groups and images of one cloud. Every instance is a real VM of the
 * page; Connect opens its console below the table.
 */
export function CloudConsole({ cloud }: { cloud: Cloud }) {
  useCloudVersion(cloud);
  const now = useNow();
  const [connectedId, setConnectedId] = useState<string>();
  // "Launch from" an image opens the form afresh with that image chosen.
  const [preset, setPreset] = useState({ imageId: cloud.images[0]!.id, times: 0 });
  const connected = connectedId ? cloud.instances.find((i) => i.id === connectedId) : undefined;
  const machine = connected?.machine;
  const toggle = (instance: Instance) =>
    setConnectedId((id) => (id === instance.id ? undefined : instance.id));
  return (
    // A cleared cloud (a lab's Reset) shows its forms afresh: suggested names, default choices.
    <div key={cloud.generation} className="grid gap-4" data-cloud-console>
      <Section id="cloud-launch" title="Launch instance">
        <LaunchForm key={preset.times} cloud={cloud} initialImageId={preset.imageId} />
      </Section>
      <Section id="cloud-instances" title="Instances">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Each instance is a VM running in this page, with a private address on {PAGE_NETWORK_CIDR}.
          Costs are illustrative: made-up prices per hour, counted while an instance runs.
        </p>
        <InstancesTable cloud={cloud} now={now} connectedId={connectedId} onConnect={toggle} />
        {connected && machine ? (
          <div aria-label={`Connected to ${connected.name}`} role="region">
            <VmPanel machine={machine} />
          </div>
        ) : null}
      </Section>
      <Section id="cloud-groups" title="Security groups">
        <SecurityGroupsEditor cloud={cloud} />
      </Section>
      <Section id="cloud-scaling" title="Auto scaling groups">
        <ScalingGroups cloud={cloud} />
      </Section>
      <Section id="cloud-balancers" title="Load balancers">
        <LoadBalancers cloud={cloud} />
      </Section>
      <Section id="cloud-images" title="Images">
        <ul className="grid gap-1 text-sm" aria-label="Images">
          {cloud.images.map((image) => (
            <li key={image.id} data-image={image.name}>
              <span className="font-semibold">{image.name}</span>{" "}
              <span className="font-mono">{image.id}</span>: {image.description}
              {image.memoryMb ? ` (needs ${image.memoryMb} MiB)` : ""}{" "}
              <Button
                size="sm"
                variant="quiet"
                onClick={() => {
                  setPreset((p) => ({ imageId: image.id, times: p.times + 1 }));
                  document.getElementById("cloud-launch")?.scrollIntoView({ block: "start" });
                }}
              >
                Launch from {image.name}
              </Button>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
