import type { Lesson } from "../content/lessons";
import type { TextBlock, WorkshopLab } from "../content/outline";

export type { TextBlock, WorkshopLab, WorkshopStep } from "../content/outline";

/** What the workshop pages (presenter view, handout) show of each lesson. */
export interface WorkshopLesson {
  slug: string;
  order: number;
  title: string;
  summary: string;
  minutes: number;
  objectives: string[];
  labs: WorkshopLab[];
  /** Instructor notes, each as text blocks, in document order. */
  notes: TextBlock[][];
}

/** The lessons' workshop view, as the content pipeline derived it (plain data for the client). */
export function getWorkshopLessons(lessons: Lesson[]): WorkshopLesson[] {
  return lessons.map(({ slug, order, title, summary, minutes, objectives, outline }) => ({
    slug,
    order,
    title,
    summary,
    minutes,
    objectives,
    labs: outline.labs,
    notes: outline.notes,
  }));
}
