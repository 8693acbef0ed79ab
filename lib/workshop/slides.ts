import { buildAgenda } from "./agenda";
import type { WorkshopLesson } from "./outline";

/** The presenter view's sequence: each lesson's title slide, then one slide per lab step. */
export type Slide =
  { kind: "lesson"; lesson: number } | { kind: "step"; lesson: number; lab: number; step: number };

export function buildSlides(lessons: WorkshopLesson[]): Slide[] {
  const slides: Slide[] = [];
  lessons.forEach((lesson, lessonIndex) => {
    slides.push({ kind: "lesson", lesson: lessonIndex });
    lesson.labs.forEach((lab, labIndex) =>
      lab.steps.forEach((_step, stepIndex) =>
        slides.push({ kind: "step", lesson: lessonIndex, lab: labIndex, step: stepIndex }),
      ),
    );
  });
  return slides;
}

/** Clamps a slide number (from a key press or the URL) into range. */
export function clampSlide(index: number, count: number): number {
  // Past the end, however far (a 400-digit #slide- is Infinity), is the last slide.
  if (count === 0 || Number.isNaN(index)) return 0;
  return Math.min(Math.max(Math.trunc(index), 0), count - 1);
}

/** Minutes from the workshop's start at which each lesson is planned to begin and end. */
export function plannedWindows(lessons: WorkshopLesson[]): Array<{ start: number; end: number }> {
  return buildAgenda(lessons, 0).flatMap((item) =>
    item.kind === "lesson" ? [{ start: item.start, end: item.end }] : [],
  );
}

export type Pace = { kind: "on-time" } | { kind: "behind" | "ahead"; minutes: number };

/** Whether the elapsed time is inside the current lesson's planned window. */
export function paceOf(elapsedSeconds: number, window: { start: number; end: number }): Pace {
  const minutes = elapsedSeconds / 60;
  if (minutes > window.end) return { kind: "behind", minutes: Math.ceil(minutes - window.end) };
  if (minutes < window.start) return { kind: "ahead", minutes: Math.floor(window.start - minutes) };
  return { kind: "on-time" };
}
