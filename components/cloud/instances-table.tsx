"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Cloud, Instance } from "@/lib/cloud/cloud";
import { formatCost } from "@/lib/cloud/cost-meter";
import type { InstanceState } from "@/lib/cloud/instance-state";
import { InstanceActions } from "./instance-actions";

const STATE_TONE: Record<InstanceState, BadgeTone> = {
  pending: "info",
  running: "success",
  stopping: "warning",
  stopped: "muted",
  terminated: "neutral",
};

export interface InstancesTableProps {
  cloud: Cloud;
  now: number;
  connectedId: string | undefined;
  onConnect: (instance: Instance) => void;
}

function launchedAt(instance: Instance): string {
  return new Date(instance.launchedAt).toLocaleTimeString();
}

function StateBadge({ state }: { state: InstanceState }) {
  return (
    <Badge tone={STATE_TONE[state]}>
      <span className="sr-only">State: </span>
      {state}
    </Badge>
  );
}

/** Frames the switch refused to this instance (its security group), as last reported. */
function Blocked({ instance }: { instance: Instance }) {
  const port = instance.machine?.network.port;
  if (!port) return null;
  return (
    <p className="text-sm">
      Inbound frames blocked by its security group:{" "}
      <span data-blocked>{port.counters.filtered}</span>
    </p>
  );
}

function UserDataOutput({ instance }: { instance: Instance }) {
  const run = instance.userDataRun;
  if (run.status === "none") return null;
  return (
    <details className="mt-1 text-sm">
      <summary>
        User data: <span data-user-data={run.status}>{run.status}</span>
        {run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ""}
      </summary>
      <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
        {run.output || "(no output)"}
      </pre>
    </details>
  );
}

/**
 * The instances: a table on wide screens, a card per instance on narrow ones. Costs are
 * illustrative (made-up prices per hour of running).
 */
export function InstancesTable({ cloud, now, connectedId, onConnect }: InstancesTableProps) {
  const instances = cloud.instances;
  if (instances.length === 0)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        No instances yet: launch one above.
      </p>
    );
  const cost = (i: Instance) => formatCost(cloud.costOf(i, now));
  const actions = (i: Instance) => (
    <InstanceActions
      cloud={cloud}
      instance={i}
      connected={connectedId === i.id}
      onConnect={onConnect}
    />
  );
  return (
    <>
      <table className="hidden w-full text-left text-sm md:table" aria-label="Instances">
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-700">
            <th scope="col">Name</th>
            <th scope="col">Id</th>
            <th scope="col">State</th>
            <th scope="col">Type</th>
            <th scope="col">Image</th>
            <th scope="col">Private address</th>
            <th scope="col">Launched</th>
            <th scope="col">Cost (illustrative)</th>
          </tr>
        </thead>
        {instances.map((i) => (
          <tbody
            key={i.id}
            data-instance={i.name}
            data-instance-id={i.id}
            data-state={i.state}
            className="border-b border-slate-200 dark:border-slate-800"
          >
            <tr>
              <th scope="row">{i.name}</th>
              <td className="font-mono">{i.id}</td>
              <td aria-live="polite">
                <StateBadge state={i.state} />
              </td>
              <td className="font-mono">{i.type.name}</td>
              <td>{i.imageName}</td>
              <td className="font-mono" data-address>
                {i.address ?? "none"}
              </td>
              <td>{launchedAt(i)}</td>
              <td className="font-mono" data-cost>
                {cost(i)}
              </td>
            </tr>
            <tr>
              <td colSpan={8} className="pb-2">
                {i.state !== "terminated" ? actions(i) : null}
                <UserDataOutput instance={i} />
                <Blocked instance={i} />
                {i.message ? (
                  <p className="text-sm text-amber-800 dark:text-amber-300">{i.message}</p>
                ) : null}
              </td>
            </tr>
          </tbody>
        ))}
      </table>
      <ul className="grid gap-3 md:hidden" aria-label="Instances">
        {instances.map((i) => (
          <li
            key={i.id}
            data-instance={i.name}
            data-instance-id={i.id}
            data-state={i.state}
            className="rounded-lg border border-slate-300 p-3 dark:border-slate-700"
          >
            <div className="flex items-center justify-between gap-2">
              <h4 className="font-semibold">{i.name}</h4>
              <StateBadge state={i.state} />
            </div>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
              <dt>Id</dt>
              <dd className="font-mono">{i.id}</dd>
              <dt>Type</dt>
              <dd className="font-mono">{i.type.name}</dd>
              <dt>Image</dt>
              <dd>{i.imageName}</dd>
              <dt>Private address</dt>
              <dd className="font-mono">{i.address ?? "none"}</dd>
              <dt>Launched</dt>
              <dd>{launchedAt(i)}</dd>
              <dt>Cost (illustrative)</dt>
              <dd className="font-mono">{cost(i)}</dd>
            </dl>
            <div className="mt-2">{i.state !== "terminated" ? actions(i) : null}</div>
            <UserDataOutput instance={i} />
            {i.message ? (
              <p className="text-sm text-amber-800 dark:text-amber-300">{i.message}</p>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
