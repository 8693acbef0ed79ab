/**
 * Validates every lesson and the MDX examples of the docs through the content pipeline, as the
 * build does; prints each problem as `file:line: field "...": message` and exits 1 if any.
 */
import { checkDocsExamples } from "../lib/content/docs-examples";
import { ContentError, formatProblem } from "../lib/content/errors";
import type { ContentProblem } from "../lib/content/errors";
import { loadLessons } from "../lib/content/lessons";

const problems: ContentProblem[] = [];
let lessons = 0;
try {
  lessons = loadLessons().length;
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  problems.push(...error.problems);
}
const docs = checkDocsExamples();
problems.push(...docs.problems);

if (problems.length > 0) {
  for (const problem of problems) console.error(formatProblem(problem));
  console.error(`content: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
  process.exitCode = 1;
} else {
  console.log(`content: ${lessons} lessons and ${docs.examples} docs examples are valid`);
}
