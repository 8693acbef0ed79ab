import type { SearchDocument } from "../search/search";
import { getLessons } from "./lessons";
import type { Lesson } from "./lessons";

/** One search document per lesson, built at build time into /search-index.json. */
export function buildSearchDocuments(lessons: Lesson[] = getLessons()): SearchDocument[] {
  return lessons.map((lesson) => ({
    slug: lesson.slug,
    title: lesson.title,
    summary: lesson.summary,
    headings: lesson.headings.map(({ id, text }) => ({ id, text })),
    text: lesson.text,
  }));
}
