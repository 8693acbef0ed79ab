"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { Cloud } from "@/lib/cloud/cloud";
import { INSTANCE_TYPES } from "@/lib/cloud/instance-types";
import { DEFAULT_HEALTH_CHECK, UNHEALTHY_AFTER } from "@/lib/cloud/scaling";
import type { ScalingGroup } from "@/lib/cloud/scaling-controller";
import { MEMBER_USER_DATA } from "@/lib/cloud/user-data";

/** Auto scaling groups: a form to make one, and each group with its members and its log. */
export function ScalingGroups({ cloud }: { cloud: Cloud }) {
  return (
    <div className="grid gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        A group keeps its desired number of instances running from one image: it launches what is
        missing and replaces an instance that is stopped, terminated or fails its health check{" "}
        {UNHEALTHY_AFTER} times in a row (checked every few seconds through the guest agent).
      </p>
      {cloud.scaling.groups.map((group) => (
        <GroupCard key={group.id} cloud={cloud} group={group} />
      ))}
      <NewScalingGroupForm cloud={cloud} />
    </div>
  );
}

function GroupCard({ cloud, group }: { cloud: Cloud; group: ScalingGroup }) {
  const [error, setError] = useState<string>();
  const change = (by: number) => setError(cloud.scaling.setDesired(group.id, group.desired + by));
  const members = group.members.map((id) => cloud.find(id)).filter((i) => i !== undefined);
  return (
    <section
      aria-label={`Auto scaling group ${group.name}`}
      data-scaling-group={group.name}
      className="rounded-lg border border-slate-300 p-3 dark:border-slate-700"
    >
      <h4 className="font-semibold">{group.name}</h4>
      <p className="text-sm">
        Desired <span data-desired>{group.desired}</span> (min {group.min}, max {group.max}),{" "}
        {group.typeName}, health check <code>{group.healthCheck}</code>
        {group.paused ? (
          <span data-paused>
            . Paused since the page was reloaded: Resume lets it replace its stopped members.
          </span>
        ) : null}
      </p>
      <div className="mt-1 flex flex-wrap gap-2">
        <Button
          size="sm"
          aria-label={`One fewer in ${group.name}`}
          disabled={group.desired <= group.min}
          onClick={() => change(-1)}
        >
          -1
        </Button>
        <Button
          size="sm"
          aria-label={`One more in ${group.name}`}
          disabled={group.desired >= group.max}
          onClick={() => change(1)}
        >
          +1
        </Button>
        {group.paused ? (
          <Button
            size="sm"
            variant="primary"
            aria-label={`Resume ${group.name}`}
            onClick={() => cloud.scaling.resume(group.id)}
          >
            Resume
          </Button>
        ) : null}
        <Button
          size="sm"
          variant="danger"
          aria-label={`Delete group ${group.name}`}
          onClick={() => void cloud.scaling.remove(group.id)}
        >
          Delete group
        </Button>
      </div>
      {error ? <p className="text-sm text-red-700 dark:text-red-300">{error}</p> : null}
      <p className="mt-2 text-sm">
        Members:{" "}
        <span data-members>
          {members.length === 0
            ? "none yet"
            : members.map((i) => `${i.name} (${i.state})`).join(", ")}
        </span>
      </p>
      <ol
        className="mt-2 max-h-40 overflow-auto font-mono text-xs"
        aria-label={`Activity of ${group.name}`}
        aria-live="polite"
      >
        {group.activity.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
    </section>
  );
}

function NewScalingGroupForm({ cloud }: { cloud: Cloud }) {
  const id = useId();
  const images = cloud.images;
  const [fields, setFields] = useState({
    name: "web-asg",
    // Empty: the newest image, until the learner picks one.
    imageId: "",
    typeName: "t.small",
    groupId: cloud.groups[0]!.id,
    desired: "2",
    min: "1",
    max: "3",
    healthCheck: DEFAULT_HEALTH_CHECK,
    userData: "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const imageId = fields.imageId || images[images.length - 1]!.id;
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [key]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = cloud.scaling.create({ ...fields, imageId });
    if (result.ok) return setErrors({});
    setErrors(Object.fromEntries(result.issues.map((i) => [i.where, i.message])));
  };
  return (
    <form
      aria-label="Create auto scaling group"
      onSubmit={submit}
      className="grid gap-2 sm:grid-cols-4"
      noValidate
    >
      <Field id={`${id}-name`} label="Group name" error={errors.name}>
        {(c) => (
          <Input {...c} className="block w-full" value={fields.name} onChange={set("name")} />
        )}
      </Field>
      <Field id={`${id}-image`} label="Launch from image" error={errors.imageId}>
        {(c) => (
          <Select {...c} className="block w-full" value={imageId} onChange={set("imageId")}>
            {images.map((image) => (
              <option key={image.id} value={image.id}>
                {image.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={`${id}-type`} label="Type" error={errors.typeName}>
        {(c) => (
          <Select
            {...c}
            className="block w-full"
            value={fields.typeName}
            onChange={set("typeName")}
          >
            {INSTANCE_TYPES.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={`${id}-sg`} label="Its security group" error={errors.groupId}>
        {(c) => (
          <Select {...c} className="block w-full" value={fields.groupId} onChange={set("groupId")}>
            {cloud.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {(["desired", "min", "max"] as const).map((key) => (
        <Field
          key={key}
          id={`${id}-${key}`}
          label={key === "desired" ? "Desired" : key === "min" ? "Min" : "Max"}
          error={errors[key]}
        >
          {(c) => (
            <Input
              {...c}
              className="block w-20"
              inputMode="numeric"
              value={fields[key]}
              onChange={set(key)}
            />
          )}
        </Field>
      ))}
      <Field
        id={`${id}-health`}
        label="Health check (a command; exit 0 is healthy)"
        className="sm:col-span-4"
        error={errors.healthCheck}
      >
        {(c) => (
          <Input
            {...c}
            className="block w-full font-mono"
            value={fields.healthCheck}
            onChange={set("healthCheck")}
          />
        )}
      </Field>
      <Field
        id={`${id}-user-data`}
        label="User data for each new member"
        className="sm:col-span-4"
        error={errors.userData}
      >
        {(c) => (
          <textarea
            {...c}
            rows={3}
            spellCheck={false}
            value={fields.userData}
            onChange={set("userData")}
            className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
          />
        )}
      </Field>
      <div className="flex flex-wrap gap-2 sm:col-span-4">
        <Button type="submit" size="sm" variant="primary">
          Create auto scaling group
        </Button>
        <Button
          size="sm"
          variant="quiet"
          onClick={() => setFields((f) => ({ ...f, userData: MEMBER_USER_DATA }))}
        >
          Use the member page example
        </Button>
      </div>
    </form>
  );
}
