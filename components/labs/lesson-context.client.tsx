"use client";

import { createContext, useContext } from "react";
import type { ReactNode } from "react";

const LessonSlugContext = createContext<string | null>(null);

/** Tells the lesson's interactive parts (labs, quizzes) which lesson they belong to. */
export function LessonContext({ slug, children }: { slug: string; children: ReactNode }) {
  return <LessonSlugContext.Provider value={slug}>{children}</LessonSlugContext.Provider>;
}

export function useLessonSlug(): string {
  return useContext(LessonSlugContext) ?? "unknown";
}
