"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import type { LabDefinition } from "@/lib/labs/definition";
import { reportLabActivity } from "@/lib/labs/activity";
import { LabEngine } from "@/lib/labs/engine";
import { withLabReset, withStepDone } from "@/lib/labs/progress";
import { LabContext } from "./lab-context";
import type { LabMachinesHandle } from "./lab-context";
import { useLessonSlug } from "./lesson-context.client";
import { saveProgressInBackground, updateProgress, useProgress } from "./use-progress";

/** A lab as the build validated it: the browser runs it without checking it again. */
export function LabProvider({ lab, children }: { lab: LabDefinition; children: ReactNode }) {
  const slug = useLessonSlug();
  const labKey = `${slug}/${lab.id}`;
  const { progress, notice, error } = useProgress();
  const [machines, setMachines] = useState<LabMachinesHandle | null>(null);
  const engineRef = useRef<LabEngine | null>(null);
  const done = useMemo(() => new Set(progress?.steps[labKey] ?? []), [progress, labKey]);
  const doneRef = useRef(done);
  useEffect(() => {
    doneRef.current = done;
  }, [done]);

  // The step the learner is on: the first one not done. Said once per step and page.
  const started = useRef(new Set<string>());
  const current = lab.steps.find((step) => !done.has(step.id))?.id;
  useEffect(() => {
    if (!current || !progress || started.current.has(current)) return;
    started.current.add(current);
    reportLabActivity({ lesson: slug, step: current, kind: "step-started" });
  }, [current, progress, slug]);

  useEffect(() => {
    if (!machines) return;
    const engine = new LabEngine(lab, machines, {
      done: doneRef.current,
      onDone: (stepId) => {
        saveProgressInBackground((saved) => withStepDone(saved, labKey, stepId, Date.now()));
        reportLabActivity({ lesson: slug, step: stepId, kind: "step-done" });
      },
      onCheckFailed: (stepId) =>
        reportLabActivity({ lesson: slug, step: stepId, kind: "check-failed" }),
    });
    engineRef.current = engine;
    const crashed = new Set<string>();
    const stopWatching = machines.subscribe((event) => {
      if (event.kind !== "state") return;
      for (const [name, vm] of Object.entries(machines.facts().vms)) {
        if (vm?.state !== "crashed") crashed.delete(name);
        else if (!crashed.has(name)) {
          crashed.add(name);
          const step = lab.steps.find((candidate) => !doneRef.current.has(candidate.id));
          if (step) reportLabActivity({ lesson: slug, step: step.id, kind: "vm-crashed" });
        }
      }
    });
    return () => {
      stopWatching();
      engine.destroy();
      engineRef.current = null;
    };
  }, [lab, labKey, machines, slug]);

  const resetHooks = useRef(new Set<() => Promise<void>>());
  const onReset = useCallback((hook: () => Promise<void>) => {
    resetHooks.current.add(hook);
    return () => void resetHooks.current.delete(hook);
  }, []);
  const resetLab = useCallback(async () => {
    engineRef.current?.reset();
    await updateProgress((current) => withLabReset(current, labKey, Date.now()));
    await Promise.all([...resetHooks.current].map((hook) => hook()));
    await machines?.resetMachines();
  }, [labKey, machines]);

  const value = useMemo(
    () => ({
      lab,
      labKey,
      done,
      machines,
      attachMachines: setMachines,
      resetLab,
      onReset,
      notice: notice ?? error,
    }),
    [lab, labKey, done, machines, resetLab, onReset, notice, error],
  );

  return (
    <LabContext.Provider value={value}>
      <section
        aria-label={`Lab: ${lab.title}`}
        data-lab-id={lab.id}
        className="not-prose my-10 rounded-2xl border border-slate-300 bg-slate-50 p-4 sm:p-6 dark:border-slate-700 dark:bg-slate-900"
      >
        {children}
      </section>
    </LabContext.Provider>
  );
}
