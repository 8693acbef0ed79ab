"use client";

import dynamic from "next/dynamic";

function FormPlaceholder() {
  return (
    <div
      aria-hidden="true"
      className="h-64 animate-pulse rounded-xl border border-dashed border-slate-300 dark:border-slate-700"
    />
  );
}

/** The create form (and its checks) load with the lab's machines, not with the lesson page. */
export const CreateMachineLoader = dynamic(
  () => import("./create-machine-form.client").then((module) => module.CreateMachineForm),
  { ssr: false, loading: FormPlaceholder },
);
