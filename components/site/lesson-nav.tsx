import Link from "next/link";
import type { Lesson } from "@/lib/content/lessons";

interface LessonNavProps {
  previous?: Lesson;
  next?: Lesson;
}

export function LessonNav({ previous, next }: LessonNavProps) {
  return (
    <nav aria-label="Previous and next lesson" className="no-print mt-16 grid gap-4 sm:grid-cols-2">
      {previous ? <NavCard lesson={previous} label="Previous" /> : <span aria-hidden="true" />}
      {next ? <NavCard lesson={next} label="Next" alignEnd /> : null}
    </nav>
  );
}

function NavCard({
  lesson,
  label,
  alignEnd,
}: {
  lesson: Lesson;
  label: string;
  alignEnd?: boolean;
}) {
  return (
    <Link
      href={`/labs/${lesson.slug}`}
      rel={label === "Next" ? "next" : "prev"}
      className={`rounded-xl border border-slate-200 p-4 hover:border-brand-600 dark:border-slate-800 ${alignEnd ? "text-right" : ""}`}
    >
      <span className="block text-sm text-slate-600 dark:text-slate-400">{label}</span>
      <span className="font-semibold">{lesson.title}</span>
    </Link>
  );
}
