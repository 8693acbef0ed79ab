"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { Cloud } from "@/lib/cloud/cloud";
import type { LoadBalancer } from "@/lib/cloud/load-balancer-controller";

/** Load balancers: a form to put one before a scaling group, and each one's targets and counts. */
export function LoadBalancers({ cloud }: { cloud: Cloud }) {
  return (
    <div className="grid gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        A load balancer is an instance of its own that answers on port 80 and passes each request to
        the next healthy member of a scaling group in turn (round robin). Its security group must
        let clients in; the members&apos; must let it in.
      </p>
      {cloud.balancers.balancers.map((b) => (
        <BalancerCard key={b.instanceId} cloud={cloud} balancer={b} />
      ))}
      {cloud.scaling.groups.length > 0 ? (
        <NewBalancerForm cloud={cloud} />
      ) : (
        <p className="text-sm">Create an auto scaling group first: its members are the targets.</p>
      )}
    </div>
  );
}

function BalancerCard({ cloud, balancer }: { cloud: Cloud; balancer: LoadBalancer }) {
  const instance = cloud.find(balancer.instanceId);
  const group = cloud.scaling.groups.find((g) => g.id === balancer.scalingGroupId);
  const healthy = new Set(cloud.balancers.healthyTargets(balancer));
  const members = (group?.members ?? []).map((id) => cloud.find(id)).filter((i) => i?.address);
  return (
    <section
      aria-label={`Load balancer ${balancer.name}`}
      data-balancer={balancer.name}
      data-targets={balancer.targets.join(" ")}
      className="rounded-lg border border-slate-300 p-3 dark:border-slate-700"
    >
      <h4 className="font-semibold">{balancer.name}</h4>
      <p className="text-sm">
        Address{" "}
        <span className="font-mono" data-balancer-address>
          {instance?.address ?? "none"}
        </span>
        , port 80, targets: group {group?.name ?? "(deleted)"}
        {balancer.message ? ` (${balancer.message})` : ""}
      </p>
      <table className="mt-2 text-left text-sm" aria-label={`Targets of ${balancer.name}`}>
        <thead>
          <tr>
            <th scope="col" className="pr-4">
              Target
            </th>
            <th scope="col" className="pr-4">
              Health
            </th>
            <th scope="col" className="pr-4">
              Requests served
            </th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {members.map((i) => {
            const counts = balancer.counts[i!.address!] ?? { served: 0, failed: 0 };
            return (
              <tr key={i!.id} data-target={i!.name}>
                <th scope="row" className="pr-4 font-normal">
                  {i!.name} <span className="font-mono">{i!.address}</span>
                </th>
                <td className="pr-4">{healthy.has(i!.address!) ? "healthy" : "not in service"}</td>
                <td className="pr-4" data-served>
                  {counts.served}
                </td>
                <td>{counts.failed}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function NewBalancerForm({ cloud }: { cloud: Cloud }) {
  const id = useId();
  const [name, setName] = useState("lb-1");
  const [scalingGroupId, setScalingGroupId] = useState(cloud.scaling.groups[0]!.id);
  const [groupId, setGroupId] = useState(cloud.groups[0]!.id);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await cloud.balancers.create({ name, scalingGroupId, groupId });
    setBusy(false);
    setError(result.ok ? "" : result.error);
  };
  return (
    <form
      aria-label="Create load balancer"
      onSubmit={(e) => void submit(e)}
      className="flex flex-wrap items-end gap-2"
      noValidate
    >
      <Field id={`${id}-name`} label="Balancer name" error={error}>
        {(c) => (
          <Input {...c} className="block" value={name} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <Field id={`${id}-asg`} label="Targets (scaling group)">
        {(c) => (
          <Select
            {...c}
            className="block"
            value={scalingGroupId}
            onChange={(e) => setScalingGroupId(e.target.value)}
          >
            {cloud.scaling.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={`${id}-sg`} label="Balancer's security group">
        {(c) => (
          <Select
            {...c}
            className="block"
            value={groupId}
            onChange={(e) => setGroupId(e.target.value)}
          >
            {cloud.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Button type="submit" size="sm" variant="primary" disabled={busy}>
        {busy ? "Launching..." : "Create load balancer"}
      </Button>
    </form>
  );
}
