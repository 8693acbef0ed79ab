"use client";

import { useEffect, useId, useRef, useState } from "react";
import { updateProgress } from "@/components/labs/use-progress";
import { writeInstructorMode } from "@/lib/workshop/settings";
import { useInstructorMode } from "./use-workshop-settings";

const BUTTON =
  "inline-flex items-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-900 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-white dark:hover:bg-slate-800";

/** Instructor mode: shows the lessons' instructor notes in this browser. */
export function InstructorModeToggle() {
  const on = useInstructorMode();
  const hintId = useId();
  return (
    <div>
      <label className="inline-flex cursor-pointer items-center gap-3 text-base font-semibold">
        <input
          type="checkbox"
          role="switch"
          checked={on}
          onChange={(event) => writeInstructorMode(event.target.checked)}
          aria-describedby={hintId}
          className="h-5 w-5 accent-violet-700"
        />
        Instructor mode
      </label>
      <p id={hintId} className="mt-1 text-sm text-slate-700 dark:text-slate-300">
        {on
          ? "On: instructor notes show in the lessons and in the presenter view, in this browser."
          : "Off: instructor notes are hidden. Turn it on on the instructor's computer only."}
      </p>
    </div>
  );
}

type ResetState = "idle" | "confirm" | "working" | { done: string };

/** Clears every lab's completed steps and the quiz answers, for the next person at this computer. */
export function ResetLabs() {
  const [state, setState] = useState<ResetState>("idle");
  const cancelButton = useRef<HTMLButtonElement>(null);
  const resetButton = useRef<HTMLButtonElement>(null);
  const asked = state === "confirm";
  // Keyboard users land on the safe choice when asked, and back on the button afterwards.
  useEffect(() => {
    if (asked) cancelButton.current?.focus();
    else if (document.activeElement === document.body) resetButton.current?.focus();
  }, [asked]);
  const reset = async () => {
    setState("working");
    try {
      await updateProgress((progress) => ({
        ...progress,
        steps: {},
        quizzes: {},
        updatedAt: Date.now(),
      }));
      setState({
        done: "All labs were reset: every step and quiz answer in this browser is cleared.",
      });
    } catch (error) {
      setState({ done: `Nothing was reset: ${(error as Error).message}.` });
    }
  };
  return (
    <div>
      {state === "confirm" || state === "working" ? (
        <div
          role="group"
          aria-label="Confirm reset"
          className="rounded-md border-l-4 border-red-600 bg-red-50 p-3 text-sm text-red-950 dark:bg-slate-900 dark:text-red-200"
        >
          <p>
            Reset all labs in this browser? Every completed lab step and quiz answer is cleared.
            Export the progress first (on the course home) if it should be kept.
          </p>
          <div className="mt-3 flex flex-wrap gap-3">
            <button
              type="button"
              className="inline-flex items-center rounded-lg bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800"
              onClick={reset}
              disabled={state === "working"}
            >
              Yes, reset all labs
            </button>
            <button
              ref={cancelButton}
              type="button"
              className={BUTTON}
              onClick={() => setState("idle")}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          ref={resetButton}
          type="button"
          className={BUTTON}
          onClick={() => setState("confirm")}
        >
          Reset all labs…
        </button>
      )}
      {typeof state === "object" ? (
        <p role="status" className="mt-3 text-sm font-medium">
          {state.done}
        </p>
      ) : null}
    </div>
  );
}
