import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ContentError } from "./errors";
import type { LessonFrontmatter } from "./frontmatter";
import { readLesson } from "./lesson";
import type { LessonBody } from "./lesson";

export interface Lesson extends LessonFrontmatter, LessonBody {
  slug: string;
  /** File name without extension, e.g. `01-why-virtualize`. */
  fileStem: string;
}

const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

export const LESSONS_DIR = path.join(process.cwd(), "content", "labs");

/** Reads, validates and orders every lesson in a folder. Throws a ContentError naming the file. */
export function loadLessons(dir: string = LESSONS_DIR): Lesson[] {
  const lessons: Lesson[] = [];
  const problems: ContentError[] = [];
  for (const name of readdirSync(/*turbopackIgnore: true*/ dir).sort()) {
    if (!name.endsWith(".mdx")) continue;
    const file = path.relative(process.cwd(), path.join(/*turbopackIgnore: true*/ dir, name));
    try {
      lessons.push(
        readLessonFile(
          file,
          name,
          readFileSync(path.join(/*turbopackIgnore: true*/ dir, name), "utf8"),
        ),
      );
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new ContentError(problems.flatMap((error) => error.problems));
  assertUnique(lessons, "order", (lesson) => String(lesson.order));
  assertUnique(lessons, "slug", (lesson) => lesson.slug);
  return lessons.sort((a, b) => a.order - b.order);
}

function readLessonFile(file: string, name: string, source: string): Lesson {
  const match = LESSON_FILE.exec(name);
  if (!match) {
    throw new ContentError({
      file,
      message: "lesson files are named NN-slug.mdx (e.g. 01-why-virtualize.mdx)",
    });
  }
  const lesson = readLesson(file, source);
  if (lesson.order !== Number(match[1])) {
    throw new ContentError({
      file,
      field: "order",
      message: `is ${lesson.order} but the file name starts with ${match[1]}`,
    });
  }
  return { ...lesson, slug: match[2]!, fileStem: name.replace(/\.mdx$/, "") };
}

function assertUnique(lessons: Lesson[], field: string, key: (lesson: Lesson) => string): void {
  const seen = new Map<string, Lesson>();
  for (const lesson of lessons) {
    const previous = seen.get(key(lesson));
    if (previous) {
      throw new ContentError({
        file: `content/labs/${lesson.fileStem}.mdx`,
        field,
        message: `"${key(lesson)}" is also used by content/labs/${previous.fileStem}.mdx`,
      });
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
