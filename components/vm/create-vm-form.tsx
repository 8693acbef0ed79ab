"use client";

import { useId, useState, type FormEvent } from "react";
import type { VmHost } from "@/lib/emulator/vm-host";
import {
  BOOT_MEDIA,
  BOOT_MEDIA_LABELS,
  DISK_MAX_MB,
  MEMORY_MAX_MB,
  type FieldErrors,
  type VmConfigField,
  type VmConfigInput,
} from "@/lib/emulator/vm-config";
import { cn } from "@/lib/cn";

const INITIAL: VmConfigInput = {
  name: "",
  memoryMb: "128",
  boot: "live",
  disk: "none",
  diskSizeMb: "64",
  network: "none",
};
const input = "mt-1 w-full rounded-md border px-2 py-1.5 dark:bg-slate-900";

/** The create-VM form: every field is checked; a refusal is said at the field and nothing is created. */
export function CreateVmForm({
  host,
  onCreated,
}: {
  host: VmHost;
  onCreated?: (name: string) => void;
}) {
  const [values, setValues] = useState<VmConfigInput>(INITIAL);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const id = useId();
  const fieldId = (f: VmConfigField) => `${id}-${f}`;
  const set = (f: keyof VmConfigInput) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [f]: e.target.value }));
  const describe = (f: VmConfigField, hint?: string) => ({
    id: fieldId(f),
    "aria-invalid": errors[f] ? true : undefined,
    "aria-describedby":
      [errors[f] ? `${fieldId(f)}-error` : undefined, hint ? `${fieldId(f)}-hint` : undefined]
        .filter(Boolean)
        .join(" ") || undefined,
    className: cn(input, errors[f] ? "border-red-600" : "border-slate-300 dark:border-slate-700"),
  });
  const error = (f: VmConfigField) =>
    errors[f] ? (
      <p id={`${fieldId(f)}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
        {errors[f]}
      </p>
    ) : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const result = await host.create(values);
      if (!result.ok) {
        setErrors(result.errors);
        const first = Object.keys(result.errors)[0] as VmConfigField | undefined;
        if (first) document.getElementById(fieldId(first))?.focus();
        return;
      }
      setErrors({});
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
      className="grid gap-3 rounded-xl border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-800"
    >
      <div>
        <label htmlFor={fieldId("name")} className="font-medium">
          Name
        </label>
        <input
          {...describe("name")}
          value={values.name}
          onChange={set("name")}
          autoComplete="off"
          placeholder="e.g. web1"
        />
        {error("name")}
      </div>
      <div>
        <label htmlFor={fieldId("memoryMb")} className="font-medium">
          Memory (MB)
        </label>
        <input
          {...describe("memoryMb", "hint")}
          value={values.memoryMb}
          onChange={set("memoryMb")}
          inputMode="numeric"
        />
        <p
          id={`${fieldId("memoryMb")}-hint`}
          className="mt-1 text-xs text-slate-600 dark:text-slate-400"
        >
          Up to {MEMORY_MAX_MB} MB. The live guest&apos;s boot snapshot needs exactly 128 MB.
        </p>
        {error("memoryMb")}
      </div>
      <div>
        <label htmlFor={fieldId("boot")} className="font-medium">
          Boot from
        </label>
        <select {...describe("boot")} value={values.boot} onChange={set("boot")}>
          {BOOT_MEDIA.map((b) => (
            <option key={b} value={b}>
              {BOOT_MEDIA_LABELS[b]}
            </option>
          ))}
        </select>
        {error("boot")}
      </div>
      <div>
        <label htmlFor={fieldId("network")} className="font-medium">
          Network
        </label>
        <select {...describe("network")} value={values.network} onChange={set("network")}>
          <option value="none">None</option>
          <option value="switch">Virtual switch</option>
        </select>
        {error("network")}
      </div>
      <div>
        <label htmlFor={fieldId("disk")} className="font-medium">
          Disk
        </label>
        <select {...describe("disk")} value={values.disk} onChange={set("disk")}>
          <option value="none">None</option>
          <option value="blank">Blank disk</option>
        </select>
        {error("disk")}
      </div>
      <div>
        <label htmlFor={fieldId("diskSizeMb")} className="font-medium">
          Disk size (MB)
        </label>
        <input
          {...describe("diskSizeMb", "hint")}
          value={values.diskSizeMb}
          onChange={set("diskSizeMb")}
          inputMode="numeric"
          disabled={values.disk !== "blank"}
        />
        <p
          id={`${fieldId("diskSizeMb")}-hint`}
          className="mt-1 text-xs text-slate-600 dark:text-slate-400"
        >
          Up to {DISK_MAX_MB} MB, kept in this page&apos;s memory.
        </p>
        {error("diskSizeMb")}
      </div>
      <div className="sm:col-span-2">
        <button
          type="submit"
          disabled={busy}
          className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          Create VM
        </button>
      </div>
    </form>
  );
}
