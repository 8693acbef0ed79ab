"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { Cloud } from "@/lib/cloud/cloud";
import { INSTANCE_TYPES } from "@/lib/cloud/instance-types";
import { PAGE_NETWORK_CIDR, type LaunchErrors } from "@/lib/cloud/launch-input";
import { EXAMPLE_USER_DATA } from "@/lib/cloud/user-data";

/** The first of web-1, web-2... that no instance of this page has. */
function suggestedName(cloud: Cloud): string {
  const taken = new Set(
    [...cloud.host.machines, ...cloud.instances].map((m) => m.name.toLowerCase()),
  );
  let n = 1;
  while (taken.has(`web-${n}`)) n++;
  return `web-${n}`;
}

export interface LaunchFormProps {
  cloud: Cloud;
  /** The image chosen when the form opens (Images: "Launch from ..."). */
  initialImageId?: string;
}

/** The Launch instance wizard: one form, each field's problem said under it. */
export function LaunchForm({ cloud, initialImageId }: LaunchFormProps) {
  const id = useId();
  const [name, setName] = useState(() => suggestedName(cloud));
  const [imageId, setImageId] = useState(initialImageId ?? cloud.images[0]!.id);
  const [typeName, setTypeName] = useState("t.small");
  const [groupId, setGroupId] = useState(cloud.groups[0]!.id);
  const [userData, setUserData] = useState("");
  const [errors, setErrors] = useState<LaunchErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setDone("");
    const result = await cloud.launch({ name, imageId, typeName, groupId, userData });
    setBusy(false);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    setDone(`Launched ${result.instance.name} (${result.instance.id}).`);
    setName(suggestedName(cloud));
  };

  return (
    <form
      aria-label="Launch instance"
      onSubmit={(e) => void submit(e)}
      className="grid gap-4 sm:grid-cols-2"
      noValidate
    >
      <Field id={`${id}-name`} label="Name" error={errors.name}>
        {(control) => (
          <Input
            {...control}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
          />
        )}
      </Field>
      <Field id={`${id}-image`} label="Image" error={errors.imageId}>
        {(control) => (
          <Select {...control} value={imageId} onChange={(e) => setImageId(e.target.value)}>
            {cloud.images.map((image) => (
              <option key={image.id} value={image.id}>
                {image.name}
                {image.memoryMb ? ` (${image.memoryMb} MiB)` : ""}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <fieldset className="sm:col-span-2">
        <legend className="font-medium">Instance type</legend>
        <div className="mt-1 grid gap-2 sm:grid-cols-3">
          {INSTANCE_TYPES.map((type) => (
            <label
              key={type.name}
              className="flex gap-2 rounded-md border border-slate-300 p-2 dark:border-slate-700"
            >
              <input
                type="radio"
                name={`${id}-type`}
                value={type.name}
                checked={typeName === type.name}
                onChange={() => setTypeName(type.name)}
                aria-describedby={errors.typeName ? `${id}-type-error` : undefined}
              />
              <span className="text-sm">
                <span className="font-mono font-semibold">{type.name}</span>: {type.memoryMb} MiB,{" "}
                {type.shareLevel} CPU shares, ${type.pricePerHour.toFixed(3)}/h (illustrative)
                <span className="block text-xs text-slate-600 dark:text-slate-400">
                  {type.summary}
                </span>
              </span>
            </label>
          ))}
        </div>
        {errors.typeName ? (
          <p id={`${id}-type-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
            {errors.typeName}
          </p>
        ) : null}
      </fieldset>
      <Field
        id={`${id}-network`}
        label="Network"
        hint="The page's virtual switch: each instance gets the next free private address."
      >
        {(control) => (
          <Select {...control} disabled value="page">
            <option value="page">page network ({PAGE_NETWORK_CIDR})</option>
          </Select>
        )}
      </Field>
      <Field id={`${id}-group`} label="Security group" error={errors.groupId}>
        {(control) => (
          <Select {...control} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            {cloud.groups.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name} ({group.rules.length} inbound{" "}
                {group.rules.length === 1 ? "rule" : "rules"})
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        id={`${id}-user-data`}
        className="sm:col-span-2"
        label="User data (a shell script run once, when the instance first runs)"
        error={errors.userData}
      >
        {(control) => (
          <textarea
            {...control}
            rows={5}
            value={userData}
            onChange={(e) => setUserData(e.target.value)}
            spellCheck={false}
            className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
          />
        )}
      </Field>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Launching..." : "Launch instance"}
        </Button>
        <Button variant="quiet" onClick={() => setUserData(EXAMPLE_USER_DATA)}>
          Use the web server example
        </Button>
        <p role="status" className="text-sm">
          {errors.capacity ? (
            <span className="text-red-700 dark:text-red-300">{errors.capacity}</span>
          ) : (
            done
          )}
        </p>
      </div>
    </form>
  );
}
