import Link from "next/link";
import { LessonProgressBadge } from "@/components/labs/lesson-progress.client";
import type { Lesson } from "@/lib/content/lessons";
import { requirementsOf } from "@/lib/content/requirements";

export function CourseOutline({ lessons }: { lessons: Lesson[] }) {
  return (
    <ol className="grid gap-4 md:grid-cols-2" aria-label="Lessons">
      {lessons.map((lesson) => (
        <li
          key={lesson.slug}
          className="flex flex-col rounded-xl border border-slate-200 p-5 dark:border-slate-800"
        >
          <div className="flex items-baseline justify-between gap-3 text-sm text-slate-600 dark:text-slate-400">
            <span>Lesson {lesson.order}</span>
            <span className="flex items-center gap-2">
              <LessonProgressBadge requirements={requirementsOf(lesson)} />
              {lesson.minutes} min
            </span>
          </div>
          <h3 className="mt-1 text-lg font-semibold">
            <Link href={`/labs/${lesson.slug}`} className="hover:underline">
              {lesson.title}
            </Link>
          </h3>
          <p className="mt-2 text-slate-700 dark:text-slate-300">{lesson.summary}</p>
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-slate-600 dark:text-slate-400">
              What you will be able to do
            </summary>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700 dark:text-slate-300">
              {lesson.objectives.map((objective) => (
                <li key={objective}>{objective}</li>
              ))}
            </ul>
          </details>
        </li>
      ))}
    </ol>
  );
}
