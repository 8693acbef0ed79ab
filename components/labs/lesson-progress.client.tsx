"use client";

import { useEffect } from "react";
import { reportLabActivity } from "@/lib/labs/activity";
import { lessonProgress, withQuizAnswer } from "@/lib/labs/progress";
import type { LessonRequirements } from "@/lib/labs/progress";
import { QUIZ_ANSWERED_EVENT } from "@/lib/labs/quiz";
import type { QuizAnsweredDetail } from "@/lib/labs/quiz";
import { saveProgressInBackground, useProgress } from "./use-progress";

/** Records the lesson's quiz answers and shows how much of the lesson is done. */
export function LessonProgress({ requirements }: { requirements: LessonRequirements }) {
  const { progress, notice } = useProgress();

  useEffect(() => {
    const record = (event: Event) => {
      const detail = (event as CustomEvent<QuizAnsweredDetail>).detail;
      if (!detail || typeof detail.quizId !== "string") return;
      reportLabActivity({ lesson: requirements.slug, step: detail.quizId, kind: "quiz-answered" });
      saveProgressInBackground((current) =>
        withQuizAnswer(
          current,
          `${requirements.slug}/${detail.quizId}`,
          detail.correct === true,
          Date.now(),
        ),
      );
    };
    document.addEventListener(QUIZ_ANSWERED_EVENT, record);
    return () => document.removeEventListener(QUIZ_ANSWERED_EVENT, record);
  }, [requirements.slug]);

  const summary = progress ? lessonProgress(progress, requirements) : null;
  return (
    <div
      className="mt-4 text-sm"
      data-lesson-progress={summary?.complete ? "complete" : summary?.started ? "started" : "new"}
    >
      {summary ? (
        <p className="text-slate-700 dark:text-slate-300">
          {summary.complete ? (
            <span className="font-semibold text-emerald-700 dark:text-emerald-400">
              Lesson complete.{" "}
            </span>
          ) : null}
          {summary.stepsDone} of {summary.stepsTotal} lab steps done · {summary.quizzesPassed} of{" "}
          {summary.quizzesTotal} quiz questions answered correctly
        </p>
      ) : (
        <p className="text-slate-700 dark:text-slate-300">&nbsp;</p>
      )}
      {notice ? (
        <p
          role="status"
          className="mt-2 rounded-md bg-amber-50 p-2 text-amber-900 dark:bg-slate-800 dark:text-amber-300"
        >
          {notice}
        </p>
      ) : null}
    </div>
  );
}

/** A compact mark for the course outline. */
export function LessonProgressBadge({ requirements }: { requirements: LessonRequirements }) {
  const { progress } = useProgress();
  if (!progress) return null;
  const summary = lessonProgress(progress, requirements);
  if (!summary.started && !summary.complete) return null;
  const total = summary.stepsTotal + summary.quizzesTotal;
  const done = summary.stepsDone + summary.quizzesPassed;
  return (
    <span
      data-lesson-progress={summary.complete ? "complete" : "started"}
      className={
        summary.complete
          ? "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200"
          : "rounded-full bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-700 dark:bg-slate-800 dark:text-brand-300"
      }
    >
      {summary.complete ? "✓ Complete" : `${done} of ${total} done`}
    </span>
  );
}
