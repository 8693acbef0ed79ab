"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { Cloud } from "@/lib/cloud/cloud";
import { describeRule, type SecurityGroup } from "@/lib/cloud/security-groups";
import { FILTER_PROTOCOLS } from "@/lib/emulator/packet-filter";

/** Security groups: their inbound rules, a form to add one, and a form for a new group. */
export function SecurityGroupsEditor({ cloud }: { cloud: Cloud }) {
  return (
    <div className="grid gap-4">
      {cloud.groups.map((group) => (
        <GroupCard key={group.id} cloud={cloud} group={group} />
      ))}
      <NewGroupForm cloud={cloud} />
    </div>
  );
}

function GroupCard({ cloud, group }: { cloud: Cloud; group: SecurityGroup }) {
  return (
    <section
      aria-label={`Security group ${group.name}`}
      data-group={group.name}
      className="rounded-lg border border-slate-300 p-3 dark:border-slate-700"
    >
      <h4 className="font-semibold">
        {group.name} <span className="font-mono text-sm font-normal">{group.id}</span>
      </h4>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Inbound traffic no rule allows is dropped at the switch; replies to what an instance sent
        always pass.
      </p>
      {group.rules.length === 0 ? (
        <p className="mt-2 text-sm">No inbound rules: nothing new gets in.</p>
      ) : (
        <ul className="mt-2 grid gap-1" aria-label={`Inbound rules of ${group.name}`}>
          {group.rules.map((rule) => {
            const text = describeRule(rule, cloud.groups);
            return (
              <li key={rule.id} className="flex items-center gap-2 text-sm">
                <span className="font-mono">{text}</span>
                <Button
                  size="sm"
                  variant="quiet"
                  aria-label={`Remove rule ${text} from ${group.name}`}
                  onClick={() => cloud.removeRule(group.id, rule.id)}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      <RuleForm cloud={cloud} group={group} />
    </section>
  );
}

function RuleForm({ cloud, group }: { cloud: Cloud; group: SecurityGroup }) {
  const id = useId();
  const [protocol, setProtocol] = useState("tcp");
  const [fromPort, setFromPort] = useState("80");
  const [toPort, setToPort] = useState("");
  const [source, setSource] = useState("10.0.0.0/24");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = cloud.addRule(group.id, { protocol, fromPort, toPort, source });
    if (result.ok) return setErrors({});
    setErrors(Object.fromEntries(result.issues.map((i) => [i.where, i.message])));
  };
  const icmp = protocol === "icmp";
  return (
    <form
      aria-label={`Add inbound rule to ${group.name}`}
      onSubmit={submit}
      className="mt-3 flex flex-wrap items-end gap-2"
      noValidate
    >
      <Field id={`${id}-protocol`} label="Protocol" error={errors.protocol}>
        {(control) => (
          <Select
            {...control}
            className="block"
            value={protocol}
            onChange={(e) => setProtocol(e.target.value)}
          >
            {FILTER_PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {p.toUpperCase()}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={`${id}-from`} label="Port" error={errors.fromPort}>
        {(control) => (
          <Input
            {...control}
            className="block w-24"
            inputMode="numeric"
            disabled={icmp}
            value={fromPort}
            onChange={(e) => setFromPort(e.target.value)}
          />
        )}
      </Field>
      <Field id={`${id}-to`} label="To port (optional)" error={errors.toPort}>
        {(control) => (
          <Input
            {...control}
            className="block w-24"
            inputMode="numeric"
            disabled={icmp}
            value={toPort}
            onChange={(e) => setToPort(e.target.value)}
          />
        )}
      </Field>
      <Field id={`${id}-source`} label="Source (network or group id)" error={errors.source}>
        {(control) => (
          <Input
            {...control}
            className="block"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            list={`${id}-groups`}
          />
        )}
      </Field>
      <datalist id={`${id}-groups`}>
        {cloud.groups.map((g) => (
          <option key={g.id} value={g.id}>
            group {g.name}
          </option>
        ))}
      </datalist>
      <Button type="submit" size="sm">
        Add rule
      </Button>
    </form>
  );
}

function NewGroupForm({ cloud }: { cloud: Cloud }) {
  const id = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = cloud.createGroup(name);
    if (!result.ok) return setError(result.error);
    setError("");
    setName("");
  };
  return (
    <form
      aria-label="Create security group"
      onSubmit={submit}
      className="flex flex-wrap items-end gap-2"
      noValidate
    >
      <Field id={id} label="New group name" error={error}>
        {(control) => (
          <Input
            {...control}
            className="block"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <Button type="submit" size="sm">
        Create group
      </Button>
    </form>
  );
}
