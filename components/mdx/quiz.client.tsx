"use client";

import { useId, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { cn } from "@/lib/cn";
import { evaluateQuiz, QUIZ_ANSWERED_EVENT } from "@/lib/labs/quiz";
import type { QuizAnsweredDetail, QuizState, QuizVerdict } from "@/lib/labs/quiz";
import { Button } from "@/components/ui/button";

export interface QuizClientChoice {
  content: ReactNode;
  correct: boolean;
  feedback: string;
}

interface QuizClientProps {
  id: string;
  question: string;
  multiple: boolean;
  choices: QuizClientChoice[];
}

interface Checked {
  picked: number[];
  verdict: QuizVerdict;
}

export function QuizClient({ id, question, multiple, choices }: QuizClientProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const name = `quiz-${useId()}`;
  const [picked, setPicked] = useState<number[]>([]);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [state, setState] = useState<QuizState>("unanswered");
  const [message, setMessage] = useState("");

  function toggle(index: number, on: boolean) {
    setPicked((current) => {
      if (!multiple) return [index];
      const rest = current.filter((value) => value !== index);
      return on ? [...rest, index].sort((a, b) => a - b) : rest;
    });
    setChecked(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (picked.length === 0) {
      setMessage(multiple ? "Tick at least one answer first." : "Pick an answer first.");
      return;
    }
    const verdict = evaluateQuiz(choices, picked, multiple);
    setChecked({ picked, verdict });
    setState(verdict.correct ? "correct" : "incorrect");
    setMessage(summarize(choices, picked, verdict, multiple));
    const detail: QuizAnsweredDetail = { quizId: id, correct: verdict.correct };
    rootRef.current?.dispatchEvent(new CustomEvent(QUIZ_ANSWERED_EVENT, { detail, bubbles: true }));
  }

  return (
    <div
      ref={rootRef}
      className="my-8 rounded-xl border border-slate-300 bg-slate-50 p-5 dark:border-slate-700 dark:bg-slate-900"
      data-quiz-id={id}
      data-quiz-state={state}
    >
      <form onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend className="text-base font-semibold text-slate-900 dark:text-white">
            <span className="mr-2 text-xs font-semibold uppercase tracking-wide text-brand-700 dark:text-brand-300">
              Quiz{multiple ? " · several answers" : ""}
            </span>
            <span className="block">{question}</span>
          </legend>
          <div className="mt-4 space-y-2">
            {choices.map((choice, index) => {
              const isPicked = picked.includes(index);
              const wasPicked = checked?.picked.includes(index) ?? false;
              const inputId = `${name}-${index}`;
              const feedbackId = `${inputId}-feedback`;
              const showFeedback = wasPicked;
              return (
                <div
                  key={index}
                  className={cn(
                    "rounded-lg border px-3 py-2",
                    showFeedback && choice.correct
                      ? "border-emerald-600 bg-emerald-50 dark:border-emerald-400 dark:bg-emerald-950"
                      : showFeedback
                        ? "border-rose-600 bg-rose-50 dark:border-rose-400 dark:bg-rose-950"
                        : "border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-950",
                  )}
                >
                  <label htmlFor={inputId} className="flex cursor-pointer items-start gap-3">
                    <input
                      id={inputId}
                      type={multiple ? "checkbox" : "radio"}
                      name={name}
                      value={index}
                      checked={isPicked}
                      onChange={(event) => toggle(index, event.currentTarget.checked)}
                      aria-describedby={showFeedback ? feedbackId : undefined}
                      className="mt-1.5 h-4 w-4 shrink-0 accent-brand-600"
                    />
                    <span className="text-slate-800 dark:text-slate-200">{choice.content}</span>
                  </label>
                  {showFeedback ? (
                    <p
                      id={feedbackId}
                      className={cn(
                        "mt-1 pl-7 text-sm",
                        choice.correct
                          ? "text-emerald-800 dark:text-emerald-200"
                          : "text-rose-800 dark:text-rose-200",
                      )}
                    >
                      <span className="font-semibold">
                        {choice.correct ? "Right: " : "Not this one: "}
                      </span>
                      {choice.feedback}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </div>
        </fieldset>
        <div className="mt-4 flex flex-wrap items-center gap-4">
          <Button type="submit" variant="primary">
            Check answer
          </Button>
          <p
            role="status"
            aria-live="polite"
            className={cn(
              "text-sm font-medium",
              state === "correct" && checked
                ? "text-emerald-800 dark:text-emerald-200"
                : checked
                  ? "text-rose-800 dark:text-rose-200"
                  : "text-slate-700 dark:text-slate-300",
            )}
          >
            {message}
          </p>
        </div>
      </form>
    </div>
  );
}

function summarize(
  choices: QuizClientChoice[],
  picked: number[],
  verdict: QuizVerdict,
  multiple: boolean,
): string {
  if (verdict.correct) {
    return multiple
      ? "Correct: you found every right answer."
      : `Correct. ${choices[picked[0]!]!.feedback}`;
  }
  if (!multiple) return `Not quite. ${choices[picked[0]!]!.feedback} Try again.`;
  const parts = ["Not quite."];
  if (verdict.wrongPicks.length > 0) {
    parts.push(`${verdict.wrongPicks.length} of your picks ${plural(verdict.wrongPicks.length)}.`);
  }
  if (verdict.missed.length > 0) {
    parts.push(
      `${verdict.missed.length} right ${verdict.missed.length === 1 ? "answer is" : "answers are"} missing.`,
    );
  }
  parts.push("Read the notes under the answers and try again.");
  return parts.join(" ");
}

function plural(count: number): string {
  return count === 1 ? "is wrong" : "are wrong";
}
