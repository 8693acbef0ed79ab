import Link from "next/link";
import type { Lesson } from "@/lib/content/lessons";
import { cn } from "@/lib/cn";

interface LessonSidebarProps {
  lessons: Lesson[];
  currentSlug: string;
}

export function LessonSidebar({ lessons, currentSlug }: LessonSidebarProps) {
  return (
    <nav aria-label="Course" className="no-print hidden lg:block">
      <div className="sticky top-20">
        <p className="mb-3 text-sm font-semibold text-slate-600 dark:text-slate-400">Course</p>
        <ol className="space-y-1 text-sm">
          {lessons.map((lesson) => {
            const current = lesson.slug === currentSlug;
            return (
              <li key={lesson.slug}>
                <Link
                  href={`/labs/${lesson.slug}`}
                  aria-current={current ? "page" : undefined}
                  className={cn(
                    "block rounded-md px-2 py-1.5",
                    current
                      ? "bg-brand-50 font-semibold text-brand-700 dark:bg-slate-800 dark:text-brand-300"
                      : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900",
                  )}
                >
                  {lesson.order}. {lesson.title}
                </Link>
              </li>
            );
          })}
        </ol>
      </div>
    </nav>
  );
}
