"use client";

import { useEffect, useId, useRef, useState } from "react";
import { updateProgress } from "@/components/labs/use-progress";
import { writeInstructorMode } from "@/lib/workshop/settings";
import { Button } from "@/components/ui/button";
import { Confirm } from "@/components/ui/confirm";
import { useInstructorMode } from "./use-workshop-settings";

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
  const resetButton = useRef<HTMLButtonElement>(null);
  const asked = state === "confirm";
  // Confirm puts the keyboard on Cancel; afterwards it comes back to the button.
  useEffect(() => {
    if (!asked && document.activeElement === document.body) resetButton.current?.focus();
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
        <Confirm
          boxed
          label="Confirm reset"
          confirmLabel="Yes, reset all labs"
          busy={state === "working"}
          onConfirm={() => void reset()}
          onCancel={() => setState("idle")}
        >
          <p>
            Reset all labs in this browser? Every completed lab step and quiz answer is cleared.
            Export the progress first (on the course home) if it should be kept.
          </p>
        </Confirm>
      ) : (
        <Button ref={resetButton} size="lg" className="text-sm" onClick={() => setState("confirm")}>
          Reset all labs…
        </Button>
      )}
      {typeof state === "object" ? (
        <p role="status" className="mt-3 text-sm font-medium">
          {state.done}
        </p>
      ) : null}
    </div>
  );
}
