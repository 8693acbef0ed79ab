import { readFileSync } from "node:fs";
import path from "node:path";
import { mdxToPlainText } from "../search/plain-text";
import type { SearchDocument } from "../search/search";
import { splitFrontmatter } from "./frontmatter";
import { getLessons, LESSONS_DIR } from "./lessons";

/** One search document per lesson, built at build time into /search-index.json. */
export function buildSearchDocuments(): SearchDocument[] {
  return getLessons().map((lesson) => {
    const file = path.join(LESSONS_DIR, `${lesson.fileStem}.mdx`);
    const { body } = splitFrontmatter(file, readFileSync(file, "utf8"));
    return {
      slug: lesson.slug,
      title: lesson.title,
      summary: lesson.summary,
      headings: lesson.headings.map(({ id, text }) => ({ id, text })),
      // Instructor notes are for instructor mode only: learners must not find them by searching.
      text: mdxToPlainText(body.replace(/<InstructorNote>[\s\S]*?<\/InstructorNote>/g, " ")),
    };
  });
}
