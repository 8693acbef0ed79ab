"use client";

import Link from "next/link";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { formatDuration } from "@/lib/workshop/agenda";
import type { WorkshopLesson } from "@/lib/workshop/outline";
import { buildSlides, clampSlide, paceOf, plannedWindows } from "@/lib/workshop/slides";
import type { Slide } from "@/lib/workshop/slides";
import { TextBlocks } from "./text-blocks";
import { useInstructorMode } from "./use-workshop-settings";
import { Button } from "@/components/ui/button";

const NEXT_KEYS = new Set(["ArrowRight", " ", "PageDown"]);
const PREVIOUS_KEYS = new Set(["ArrowLeft", "PageUp"]);

const SLIDE_EVENT = "vlabs:slide";

function subscribeSlide(callback: () => void): () => void {
  window.addEventListener("hashchange", callback);
  window.addEventListener(SLIDE_EVENT, callback);
  return () => {
    window.removeEventListener("hashchange", callback);
    window.removeEventListener(SLIDE_EVENT, callback);
  };
}

/** The slide lives in the URL (#slide-N), so a reload or a shared link keeps the place. */
function slideFromHash(count: number): number {
  const match = /^#slide-(\d+)$/.exec(window.location.hash);
  return match ? clampSlide(Number(match[1]) - 1, count) : 0;
}

/** Keys typed into a form field, or that activate the focused control, are not navigation. */
function isForControl(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return true;
  return event.key === " " && /^(BUTTON|A|SUMMARY)$/.test(target.tagName);
}

function useTimer() {
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [banked, setBanked] = useState(0);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (startedAt === null) return;
    const interval = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(interval);
  }, [startedAt]);
  const elapsed = banked + (startedAt === null ? 0 : Math.max(0, now - startedAt) / 1000);
  return {
    running: startedAt !== null,
    elapsed,
    toggle: () => {
      if (startedAt === null) {
        const start = Date.now();
        setStartedAt(start);
        setNow(start);
      } else {
        setBanked((value) => value + (Date.now() - startedAt) / 1000);
        setStartedAt(null);
      }
    },
    reset: () => {
      setBanked(0);
      setStartedAt(null);
    },
  };
}

/** One step at a time in large type, keyboard driven, with the workshop clock beside it. */
export function Presenter({ lessons }: { lessons: WorkshopLesson[] }) {
  const [slides] = useState(() => buildSlides(lessons));
  const [windows] = useState(() => plannedWindows(lessons));
  const index = useSyncExternalStore(
    subscribeSlide,
    () => slideFromHash(slides.length),
    () => 0,
  );
  const instructorMode = useInstructorMode();
  const timer = useTimer();

  const go = useCallback(
    (target: number) => {
      const next = clampSlide(target, slides.length);
      window.history.replaceState(null, "", `#slide-${next + 1}`);
      window.dispatchEvent(new Event(SLIDE_EVENT));
    },
    [slides.length],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isForControl(event)) return;
      let target: number | null = null;
      if (NEXT_KEYS.has(event.key)) target = index + 1;
      else if (PREVIOUS_KEYS.has(event.key)) target = index - 1;
      else if (event.key === "Home") target = 0;
      else if (event.key === "End") target = slides.length - 1;
      if (target === null) return;
      event.preventDefault();
      go(target);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go, index, slides.length]);

  const slide = slides[index];
  if (!slide) return <p>This course has no lessons yet.</p>;
  const lesson = lessons[slide.lesson]!;
  const window_ = windows[slide.lesson]!;
  const pace = paceOf(timer.elapsed, window_);

  return (
    <div className="flex min-h-[calc(100vh-3.5rem)] flex-col">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-2 text-sm dark:border-slate-800">
        <Link href="/workshop" className="font-medium text-brand-700 underline dark:text-brand-300">
          ← Workshop
        </Link>
        <p aria-live="polite" className="tabular-nums">
          Slide <span data-slide-number>{index + 1}</span> of {slides.length}
        </p>
        <TimerControls timer={timer} pace={pace} window={window_} />
      </div>

      <section
        aria-roledescription="slide"
        aria-label={`Slide ${index + 1} of ${slides.length}`}
        data-slide-index={index}
        className="mx-auto w-full max-w-5xl flex-1 px-6 py-10"
      >
        <SlideBody slide={slide} lesson={lesson} />
      </section>

      {instructorMode && lesson.notes.length > 0 ? (
        <aside
          aria-label="Instructor notes"
          data-instructor-note
          className="mx-auto mb-4 w-full max-w-5xl rounded-lg border-2 border-dashed border-violet-500 bg-violet-50 px-6 py-4 text-lg text-violet-950 dark:bg-slate-900 dark:text-violet-100"
        >
          <p className="text-sm font-semibold uppercase tracking-wide">Instructor notes</p>
          {lesson.notes.map((note, i) => (
            <TextBlocks key={i} blocks={note} className="mt-2" />
          ))}
        </aside>
      ) : null}

      <nav
        aria-label="Slides"
        className="flex items-center justify-between gap-4 border-t border-slate-200 px-4 py-3 dark:border-slate-800"
      >
        <Button size="lg" onClick={() => go(index - 1)} disabled={index === 0}>
          ← Previous
        </Button>
        <p className="hidden text-sm text-slate-700 sm:block dark:text-slate-300">
          Keys: → Space PageDown next · ← PageUp back · Home End
        </p>
        <Button
          variant="primary"
          size="lg"
          onClick={() => go(index + 1)}
          disabled={index === slides.length - 1}
        >
          Next →
        </Button>
      </nav>
    </div>
  );
}

function SlideBody({ slide, lesson }: { slide: Slide; lesson: WorkshopLesson }) {
  if (slide.kind === "lesson") {
    return (
      <>
        <p className="text-xl font-medium text-brand-700 dark:text-brand-300">
          Lesson {lesson.order} · {lesson.minutes} min
        </p>
        <h1 className="mt-3 text-4xl font-bold tracking-tight sm:text-6xl">{lesson.title}</h1>
        <p className="mt-6 text-2xl text-slate-700 dark:text-slate-300">{lesson.summary}</p>
        <h2 className="mt-8 text-xl font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">
          Objectives
        </h2>
        <ul className="mt-3 list-disc space-y-2 pl-8 text-2xl">
          {lesson.objectives.map((objective) => (
            <li key={objective}>{objective}</li>
          ))}
        </ul>
      </>
    );
  }
  const lab = lesson.labs[slide.lab]!;
  const step = lab.steps[slide.step]!;
  return (
    <>
      <p className="text-xl font-medium text-brand-700 dark:text-brand-300">
        Lesson {lesson.order} · Lab: {lab.title} · Step {slide.step + 1} of {lab.steps.length}
      </p>
      <h1 className="mt-3 text-4xl font-bold tracking-tight sm:text-6xl">{step.title}</h1>
      <TextBlocks blocks={step.blocks} className="mt-8 text-2xl leading-relaxed sm:text-3xl" />
    </>
  );
}

function TimerControls({
  timer,
  pace,
  window: planned,
}: {
  timer: ReturnType<typeof useTimer>;
  pace: ReturnType<typeof paceOf>;
  window: { start: number; end: number };
}) {
  return (
    <div className="flex flex-wrap items-center gap-3" role="group" aria-label="Timer">
      <p className="tabular-nums">
        Elapsed <strong data-timer-elapsed>{formatDuration(timer.elapsed)}</strong> · planned{" "}
        {formatDuration(planned.start * 60)}–{formatDuration(planned.end * 60)}
        {timer.elapsed > 0 ? (
          <span
            className={
              pace.kind === "behind"
                ? " font-semibold text-red-700 dark:text-red-400"
                : " text-slate-700 dark:text-slate-300"
            }
          >
            {" "}
            ·{" "}
            {pace.kind === "on-time"
              ? "on time"
              : `${pace.minutes} min ${pace.kind === "behind" ? "behind" : "ahead"}`}
          </span>
        ) : null}
      </p>
      <Button size="sm" onClick={timer.toggle}>
        {timer.running ? "Pause timer" : timer.elapsed > 0 ? "Resume timer" : "Start timer"}
      </Button>
      <Button size="sm" onClick={timer.reset}>
        Reset timer
      </Button>
    </div>
  );
}
