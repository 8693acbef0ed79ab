"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState } from "react";
import { useLab } from "./lab-context";

const LabMachinesRuntime = dynamic(
  () => import("./lab-machines-runtime.client").then((module) => module.LabMachinesRuntime),
  { ssr: false, loading: () => <MachinePlaceholders /> },
);

function MachinePlaceholders() {
  const { lab } = useLab();
  return (
    <div className="mt-4 grid gap-4" aria-hidden="true">
      {lab.machines.map((machine) => (
        <div
          key={machine.name}
          className="h-40 rounded-xl border border-dashed border-slate-400 p-4 dark:border-slate-600"
        >
          <p className="font-semibold">{machine.name}</p>
          <p className="text-sm text-slate-700 dark:text-slate-300">Loading the machine…</p>
        </div>
      ))}
    </div>
  );
}

/**
 * The lab's machines. The VM runtime is fetched only when the lab comes near the screen, so a
 * lesson's first load carries none of it; the emulator itself loads when a machine starts.
 */
export function LabMachines() {
  const ref = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: "600px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref}>{near ? <LabMachinesRuntime rootRef={ref} /> : <MachinePlaceholders />}</div>
  );
}
