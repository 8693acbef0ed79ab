import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ContentError, parseLessonFrontmatter, splitFrontmatter } from "./frontmatter";
import type { LessonFrontmatter } from "./frontmatter";
import { extractHeadings } from "./headings";
import type { Heading } from "./headings";
import { extractActivities } from "./lab-extract";
import type { LessonActivities } from "./lab-extract";

export interface Lesson extends LessonFrontmatter, LessonActivities {
  slug: string;
  /** File name without extension, e.g. `01-why-virtualize`. */
  fileStem: string;
  headings: Heading[];
}

const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

export const LESSONS_DIR = path.join(process.cwd(), "content", "labs");

/** Reads, validates and orders every lesson in a folder. Throws a ContentError naming the file. */
export function loadLessons(dir: string = LESSONS_DIR): Lesson[] {
  const lessons: Lesson[] = [];
  for (const name of readdirSync(/*turbopackIgnore: true*/ dir).sort()) {
    if (!name.endsWith(".mdx")) continue;
    const file = path.relative(process.cwd(), path.join(/*turbopackIgnore: true*/ dir, name));
    const match = LESSON_FILE.exec(name);
    if (!match) {
      throw new ContentError(
        file,
        null,
        "lesson files are named NN-slug.mdx (e.g. 01-why-virtualize.mdx)",
      );
    }
    const source = readFileSync(path.join(/*turbopackIgnore: true*/ dir, name), "utf8");
    const frontmatter = parseLessonFrontmatter(file, source);
    if (frontmatter.order !== Number(match[1])) {
      throw new ContentError(
        file,
        "order",
        `is ${frontmatter.order} but the file name starts with ${match[1]}`,
      );
    }
    lessons.push({
      ...frontmatter,
      slug: match[2]!,
      fileStem: name.replace(/\.mdx$/, ""),
      headings: extractHeadings(splitFrontmatter(file, source).body),
      ...extractActivities(file, source),
    });
  }
  assertUnique(lessons, "order", (lesson) => String(lesson.order));
  assertUnique(lessons, "slug", (lesson) => lesson.slug);
  return lessons.sort((a, b) => a.order - b.order);
}

function assertUnique(lessons: Lesson[], field: string, key: (lesson: Lesson) => string): void {
  const seen = new Map<string, Lesson>();
  for (const lesson of lessons) {
    const previous = seen.get(key(lesson));
    if (previous) {
      throw new ContentError(
        `content/labs/${lesson.fileStem}.mdx`,
        field,
        `"${key(lesson)}" is also used by content/labs/${previous.fileStem}.mdx`,
      );
    }
    seen.set(key(lesson), lesson);
  }
}

let cache: Lesson[] | undefined;

/** The course, loaded once per build. */
export function getLessons(): Lesson[] {
  cache ??= loadLessons();
  return cache;
}

export function getLesson(slug: string): Lesson | undefined {
  return getLessons().find((lesson) => lesson.slug === slug);
}

export function getNeighbours(slug: string): { previous?: Lesson; next?: Lesson } {
  const lessons = getLessons();
  const index = lessons.findIndex((lesson) => lesson.slug === slug);
  return { previous: lessons[index - 1], next: index >= 0 ? lessons[index + 1] : undefined };
}
