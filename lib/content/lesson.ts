import { plainText } from "../search/plain-text";
import { activitiesOf } from "./activities";
import type { LessonActivities } from "./activities";
import { readFrontmatter } from "./frontmatter";
import type { LessonFrontmatter } from "./frontmatter";
import { headingsOf } from "./headings";
import type { Heading } from "./headings";
import { parseMdx } from "./mdx";
import type { MdxNode } from "./mdx";
import { NOTE_COMPONENT, outlineOf } from "./outline";
import { checkSourceCode } from "./source-code";
import type { LessonOutline } from "./outline";

/** Everything the site reads from a lesson's body, derived from its one mdast tree. */
export interface LessonBody extends LessonActivities {
  headings: Heading[];
  /** Readable text for search; instructor notes are left out (learners must not find them). */
  text: string;
  /** Lab steps as text and instructor notes, for the workshop pages. */
  outline: LessonOutline;
}

export function readBody(file: string, tree: MdxNode): LessonBody {
  const activities = activitiesOf(file, tree);
  checkSourceCode(file, tree);
  return {
    ...activities,
    headings: headingsOf(tree),
    text: plainText(tree, [NOTE_COMPONENT]),
    outline: outlineOf(file, tree, activities.labs),
  };
}

/** Parses a lesson source once and derives its frontmatter and body; throws a ContentError. */
export function readLesson(file: string, source: string): LessonFrontmatter & LessonBody {
  const tree = parseMdx(file, source);
  return { ...readFrontmatter(file, tree), ...readBody(file, tree) };
}
