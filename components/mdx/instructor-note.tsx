"use client";

import type { ReactNode } from "react";
import { useInstructorMode } from "@/components/workshop/use-instructor-mode";

/**
 * A note for whoever runs the lesson in a workshop: shown only in instructor mode (switched on at
 * /workshop and remembered in this browser). The workshop pages read the same notes at build time.
 */
export function InstructorNote({ children }: { children?: ReactNode }) {
  const instructorMode = useInstructorMode();
  if (!instructorMode) return null;
  return (
    <aside
      aria-label="Instructor note"
      data-instructor-note
      className="rounded-lg border-2 border-dashed border-violet-500 bg-violet-50 p-4 text-violet-950 dark:bg-slate-900 dark:text-violet-100 [&>*+*]:mt-3"
    >
      <p className="text-sm font-semibold uppercase tracking-wide">Instructor note</p>
      {children}
    </aside>
  );
}
