"use client";

import { useId, useState, type FormEvent } from "react";
import { DEFAULT_CPU_SETTINGS, SHARE_LEVELS } from "@/lib/emulator/cpu-policy";
import type { CreateResult, VmHost } from "@/lib/emulator/vm-host";
import {
  BOOT_MEDIA,
  BOOT_MEDIA_LABELS,
  DISK_MAX_MB,
  type BootMedia,
  MEMORY_MAX_MB,
  type FieldErrors,
  type VmConfigField,
  type VmConfigInput,
} from "@/lib/emulator/vm-config";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { panelClass } from "@/components/ui/panel";
import { Select } from "@/components/ui/select";
import { NicField } from "./nic-field";

const INITIAL: VmConfigInput = {
  name: "",
  memoryMb: "128",
  boot: "live",
  disk: "none",
  diskSizeMb: "64",
  network: "none",
  nic: "virtio",
};
const control = "mt-1 w-full";
type ShareLevel = keyof typeof SHARE_LEVELS;

/** The create-VM form: every field is checked; a refusal is said at the field and nothing is created. */
export function CreateVmForm({
  host,
  onCreated,
  create = (input) => host!.create(input),
  bootChoices = BOOT_MEDIA,
}: {
  host?: VmHost;
  onCreated?: (name: string) => void;
  /** Instead of the host's create: a lab's, which checks its own limits first. */
  create?: (input: VmConfigInput) => Promise<CreateResult>;
  /** The "Boot from" choices offered (a lab may allow fewer). */
  bootChoices?: readonly BootMedia[];
}) {
  const [values, setValues] = useState<VmConfigInput>(() => ({
    ...INITIAL,
    boot: bootChoices.find((b) => b === INITIAL.boot) ?? bootChoices[0] ?? INITIAL.boot,
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [shares, setShares] = useState<ShareLevel>("normal");
  const [busy, setBusy] = useState(false);
  const id = useId();
  const fieldId = (f: VmConfigField) => `${id}-${f}`;
  const set = (f: keyof VmConfigInput) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [f]: e.target.value }));
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const result = await create(values);
      if (!result.ok) {
        setErrors(result.errors);
        const first = Object.keys(result.errors)[0] as VmConfigField | undefined;
        if (first) document.getElementById(fieldId(first))?.focus();
        return;
      }
      setErrors({});
      // Shares alone never break a reservation, so no check against the other VMs is needed.
      if (shares !== "normal")
        result.machine.applyCpuSettings({ ...DEFAULT_CPU_SETTINGS, shares: SHARE_LEVELS[shares] });
      onCreated?.(result.machine.name);
      setValues((v) => ({ ...v, name: "" }));
    } catch (err) {
      setErrors({
        name: `The VM could not be created: ${err instanceof Error ? err.message : String(err)}`,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Create a VM"
      className={panelClass("grid gap-3 sm:grid-cols-2")}
    >
      <Field id={fieldId("name")} label="Name" error={errors.name}>
        {(c) => (
          <Input
            {...c}
            className={control}
            value={values.name}
            onChange={set("name")}
            autoComplete="off"
            placeholder="e.g. web1"
          />
        )}
      </Field>
      <Field
        id={fieldId("memoryMb")}
        label="Memory (MB)"
        hint={
          <>Up to {MEMORY_MAX_MB} MB. The live guest&apos;s boot snapshot needs exactly 128 MB.</>
        }
        error={errors.memoryMb}
      >
        {(c) => (
          <Input
            {...c}
            className={control}
            value={values.memoryMb}
            onChange={set("memoryMb")}
            inputMode="numeric"
          />
        )}
      </Field>
      <Field id={fieldId("boot")} label="Boot from" error={errors.boot}>
        {(c) => (
          <Select {...c} className={control} value={values.boot} onChange={set("boot")}>
            {bootChoices.map((b) => (
              <option key={b} value={b}>
                {BOOT_MEDIA_LABELS[b]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={fieldId("network")} label="Network" error={errors.network}>
        {(c) => (
          <Select {...c} className={control} value={values.network} onChange={set("network")}>
            <option value="none">None</option>
            <option value="switch">Virtual switch</option>
          </Select>
        )}
      </Field>
      <NicField
        id={fieldId("nic")}
        value={values.nic ?? ""}
        error={errors.nic}
        onChange={set("nic")}
      />
      <Field id={fieldId("disk")} label="Disk" error={errors.disk}>
        {(c) => (
          <Select {...c} className={control} value={values.disk} onChange={set("disk")}>
            <option value="none">None</option>
            <option value="blank">Blank disk</option>
          </Select>
        )}
      </Field>
      <Field
        id={fieldId("diskSizeMb")}
        label="Disk size (MB)"
        hint={<>Up to {DISK_MAX_MB} MB, kept in this page&apos;s memory.</>}
        error={errors.diskSizeMb}
      >
        {(c) => (
          <Input
            {...c}
            className={control}
            value={values.diskSizeMb}
            onChange={set("diskSizeMb")}
            inputMode="numeric"
            disabled={values.disk !== "blank"}
          />
        )}
      </Field>
      <Field
        id={`${id}-cpu-shares`}
        label="CPU shares"
        hint="Its weight when busy VMs want more cores than the host gives them."
      >
        {(c) => (
          <Select
            {...c}
            className={control}
            value={shares}
            onChange={(e) => setShares(e.target.value as ShareLevel)}
          >
            <option value="low">Low (500)</option>
            <option value="normal">Normal (1000)</option>
            <option value="high">High (2000)</option>
          </Select>
        )}
      </Field>
      <div className="sm:col-span-2">
        <Button type="submit" variant="primary" size="lg" disabled={busy}>
          Create VM
        </Button>
      </div>
    </form>
  );
}
