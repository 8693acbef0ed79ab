"use client";

import { useId, useRef, useState } from "react";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import type { SolutionAction } from "@/lib/labs/actions";
import { reportLabActivity } from "@/lib/labs/activity";
import { toRegExp } from "@/lib/labs/checks";
import { useLab } from "./lab-context";
import type { LabMachinesHandle } from "./lab-context";
import { useLessonSlug } from "./lesson-context.client";
import { Button } from "@/components/ui/button";

interface StepCardProps {
  id: string;
  title: string;
  hints: ReactNode[];
  solution?: ReactNode;
  children?: ReactNode;
}

export function describeAction(action: SolutionAction): string {
  switch (action.kind) {
    case "type":
      return `Type in ${action.vm}: ${action.text}`;
    case "click":
      return action.vm ? `Press ${action.button} on ${action.vm}` : `Press ${action.button}`;
    case "wait":
      return `Wait until ${action.vm} shows ${action.pattern.source}`;
    case "fill":
      return `Set ${action.field} to ${action.value}`;
  }
}

async function perform(
  machines: LabMachinesHandle,
  actions: SolutionAction[],
  step: HTMLElement | null,
): Promise<void> {
  for (const action of actions) {
    if (action.kind === "type") await machines.typeInto(action.vm, `${action.text}\n`);
    else if (action.kind === "click") await machines.press(action.button, action.vm, step);
    else if (action.kind === "fill") await machines.fill(action.field, action.value, step);
    else await machines.waitFor(action.vm, toRegExp(action.pattern));
  }
}

export function StepCard({ id, title, hints, solution, children }: StepCardProps) {
  const { lab, done, machines } = useLab();
  const [hintsShown, setHintsShown] = useState(0);
  const [solutionShown, setSolutionShown] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isDone = done.has(id);
  const titleId = useId();
  const itemRef = useRef<HTMLLIElement>(null);
  const parsedActions = lab.steps.find((step) => step.id === id)?.actions ?? [];
  const lesson = useLessonSlug();
  // A hint or the solution asked for on a step not done: the instructor may want to come over.
  const askedForHelp = () => {
    if (!isDone) reportLabActivity({ lesson, step: id, kind: "stuck" });
  };

  return (
    <li
      ref={itemRef}
      data-step-state={isDone ? "done" : "todo"}
      data-step-id={id}
      aria-labelledby={titleId}
      className={cn(
        "rounded-xl border bg-white p-4 dark:bg-slate-950",
        isDone ? "border-emerald-600" : "border-slate-300 dark:border-slate-700",
      )}
    >
      <div className="flex items-start gap-3">
        <span
          aria-hidden="true"
          className={cn(
            "mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full border-2 text-sm font-bold",
            isDone
              ? "border-emerald-600 bg-emerald-600 text-white"
              : "border-slate-400 text-transparent",
          )}
        >
          ✓
        </span>
        <div className="min-w-0 flex-1">
          <h3 id={titleId} className="!mt-0 text-base font-semibold">
            {title}
            <span className="sr-only">{isDone ? " (done)" : " (to do)"}</span>
          </h3>
          <div className="mt-2 [&>*+*]:mt-3">{children}</div>
          {hints.slice(0, hintsShown).map((hint, index) => (
            <div key={index} className="mt-3 rounded-md bg-amber-50 p-3 text-sm dark:bg-slate-800">
              <span className="font-semibold">Hint {index + 1}: </span>
              {hint}
            </div>
          ))}
          {solutionShown ? (
            <div className="mt-3 rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800">
              <p className="font-semibold">Solution</p>
              <div className="mt-1 [&>*+*]:mt-2">
                {solution ?? (
                  <ul className="list-disc pl-5">
                    {parsedActions.map((action, index) => (
                      <li key={index}>{describeAction(action)}</li>
                    ))}
                  </ul>
                )}
              </div>
              <button
                type="button"
                disabled={!machines || running || isDone}
                onClick={async () => {
                  if (!machines) return;
                  setRunning(true);
                  setError(null);
                  try {
                    await perform(machines, parsedActions, itemRef.current);
                  } catch (caught) {
                    setError((caught as Error).message);
                  } finally {
                    setRunning(false);
                  }
                }}
                className="mt-3 rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
              >
                {running ? "Working…" : "Do it for me"}
              </button>
              {error ? (
                <p role="alert" className="mt-2 text-red-700 dark:text-red-300">
                  {error}
                </p>
              ) : null}
            </div>
          ) : null}
          <div className="mt-3 flex flex-wrap gap-2 text-sm">
            {hintsShown < hints.length ? (
              <Button
                size="sm"
                onClick={() => {
                  setHintsShown((count) => count + 1);
                  askedForHelp();
                }}
              >
                {hintsShown === 0 ? "Show a hint" : "Show another hint"} ({hintsShown + 1} of{" "}
                {hints.length})
              </Button>
            ) : null}
            {!solutionShown ? (
              <Button
                size="sm"
                onClick={() => {
                  setSolutionShown(true);
                  askedForHelp();
                }}
              >
                Show solution
              </Button>
            ) : null}
          </div>
        </div>
      </div>
    </li>
  );
}
