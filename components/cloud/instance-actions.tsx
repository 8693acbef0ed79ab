"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm";
import { Input } from "@/components/ui/field";
import type { Cloud, Instance } from "@/lib/cloud/cloud";
import { allowedActions } from "@/lib/cloud/instance-state";

export interface InstanceActionsProps {
  cloud: Cloud;
  instance: Instance;
  connected: boolean;
  onConnect: (instance: Instance) => void;
}

/** Stop, Start, Reboot, Terminate (asked first), Connect and Create image for one instance. */
export function InstanceActions({ cloud, instance, connected, onConnect }: InstanceActionsProps) {
  const can = allowedActions(instance.state);
  const [imaging, setImaging] = useState(false);
  const of = (action: string) => `${action} ${instance.name}`;
  return (
    <div className="flex flex-wrap gap-1">
      <Button
        size="sm"
        disabled={!can.stop}
        aria-label={of("Stop")}
        onClick={() => void cloud.stop(instance.id)}
      >
        Stop
      </Button>
      <Button
        size="sm"
        disabled={!can.start}
        aria-label={of("Start")}
        onClick={() => void cloud.start(instance.id)}
      >
        Start
      </Button>
      <Button
        size="sm"
        disabled={!can.reboot}
        aria-label={of("Reboot")}
        onClick={() => cloud.reboot(instance.id)}
      >
        Reboot
      </Button>
      <Button
        size="sm"
        disabled={!can.connect && !connected}
        aria-label={of("Connect to")}
        aria-pressed={connected}
        onClick={() => onConnect(instance)}
      >
        Connect
      </Button>
      <Button
        size="sm"
        disabled={!can.createImage}
        aria-label={of("Create image of")}
        aria-expanded={imaging}
        onClick={() => setImaging((v) => !v)}
      >
        Create image
      </Button>
      <ConfirmButton
        size="sm"
        label="Terminate"
        ariaLabel={of("Terminate")}
        question={`Terminate ${instance.name}? Its VM and everything in it are deleted.`}
        confirmLabel="Terminate it"
        disabled={!can.terminate}
        onConfirm={() => cloud.terminate(instance.id)}
      />
      {imaging && can.createImage ? (
        <CreateImageForm cloud={cloud} instance={instance} onDone={() => setImaging(false)} />
      ) : null}
    </div>
  );
}

function CreateImageForm({
  cloud,
  instance,
  onDone,
}: {
  cloud: Cloud;
  instance: Instance;
  onDone: () => void;
}) {
  const id = useId();
  const [name, setName] = useState(`${instance.name}-image`);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await cloud.createImage(instance.id, name);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onDone();
  };
  return (
    <form
      aria-label={`Create image of ${instance.name}`}
      onSubmit={(e) => void submit(e)}
      className="mt-1 flex w-full flex-wrap items-center gap-2"
    >
      <label htmlFor={id} className="text-sm">
        Image name
      </label>
      <Input
        id={id}
        value={name}
        onChange={(e) => setName(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <Button size="sm" type="submit" variant="primary" disabled={busy}>
        {busy ? "Saving..." : "Save image"}
      </Button>
      {error ? (
        <p id={`${id}-error`} className="w-full text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </form>
  );
}
