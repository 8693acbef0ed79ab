"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState } from "react";
import { useLab } from "./lab-context";
import { LAB_MACHINE_GRID, LearnerMachinePlaceholder } from "./learner-machine-placeholder";

const LabMachinesRuntime = dynamic(
  () => import("./lab-machines-runtime.client").then((module) => module.LabMachinesRuntime),
  { ssr: false, loading: () => <MachinePlaceholders /> },
);

function MachinePlaceholders() {
  const { lab } = useLab();
  return (
    <div className={LAB_MACHINE_GRID} aria-hidden="true">
      {lab.machines.map((machine) => (
        <LearnerMachinePlaceholder key={machine.name} definition={machine} />
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
    <div ref={ref} className="@container">
      {near ? <LabMachinesRuntime rootRef={ref} /> : <MachinePlaceholders />}
    </div>
  );
}
