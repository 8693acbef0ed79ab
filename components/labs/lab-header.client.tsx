"use client";

import { useState } from "react";
import { useLab } from "./lab-context";
import { Button } from "@/components/ui/button";

export function LabHeader() {
  const { lab, done, resetLab, notice } = useLab();
  const [resetting, setResetting] = useState(false);
  const doneCount = lab.steps.filter((step) => done.has(step.id)).length;
  return (
    <header className="flex flex-wrap items-start justify-between gap-3">
      <div>
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700 dark:text-brand-300">
          Lab
        </p>
        <h2 className="!mt-1 text-xl font-semibold">{lab.title}</h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300" aria-live="polite">
          {doneCount} of {lab.steps.length} steps done
        </p>
        {notice ? (
          <p role="status" className="mt-2 text-sm text-amber-800 dark:text-amber-300">
            {notice}
          </p>
        ) : null}
      </div>
      <Button
        disabled={resetting}
        onClick={async () => {
          setResetting(true);
          try {
            await resetLab();
          } finally {
            setResetting(false);
          }
        }}
      >
        {resetting ? "Resetting…" : "Reset lab"}
      </Button>
    </header>
  );
}
