import { readFileSync } from "node:fs";
import path from "node:path";
import { ContentError } from "./errors";
import type { ContentProblem } from "./errors";
import { attributesOf, findAll, lineOf } from "./mdx";
import type { MdxNode } from "./mdx";

/**
 * `<SourceCode file="guest/vmm/trapdemo.c" from="..." to="..." />`: a lesson shows a program the
 * guests run from its source in the repository, read at build time, so the page and the binary in
 * the image never drift apart. `from` and `to` pick an excerpt: from the first line containing
 * `from` to the next line containing `to`, both included.
 */

export const SOURCE_COMPONENT = "SourceCode";
const SOURCE_ROOTS = ["guest/vmm/", "guest/baremetal/"];
const ATTRIBUTES = ["file", "from", "to", "title", "open"];

export interface SourceExcerpt {
  text: string;
  firstLine: number;
  lastLine: number;
  totalLines: number;
}

export interface SourceRange {
  from?: string;
  to?: string;
}

/** The excerpt, or a message saying what is wrong with the reference. */
export function readSourceExcerpt(
  file: string,
  range: SourceRange = {},
): SourceExcerpt | { problem: string } {
  const normalized = path.posix.normalize(file);
  if (normalized !== file || !SOURCE_ROOTS.some((root) => file.startsWith(root))) {
    return { problem: `must be a file under ${SOURCE_ROOTS.join(" or ")}, not "${file}"` };
  }
  let source: string;
  try {
    source = readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), file), "utf8");
  } catch {
    return { problem: `no such file: ${file}` };
  }
  const lines = source.replace(/\n$/, "").split("\n");
  let first = 0;
  let last = lines.length - 1;
  if (range.from !== undefined) {
    first = lines.findIndex((line) => line.includes(range.from!));
    if (first < 0) return { problem: `no line of ${file} contains "${range.from}"` };
  }
  if (range.to !== undefined) {
    last = lines.findIndex((line, i) => i >= first && line.includes(range.to!));
    if (last < 0) return { problem: `no line of ${file} after "from" contains "${range.to}"` };
  }
  return {
    text: lines.slice(first, last + 1).join("\n"),
    firstLine: first + 1,
    lastLine: last + 1,
    totalLines: lines.length,
  };
}

/** For the component: the excerpt, or a ContentError that fails the build. */
export function sourceExcerpt(file: string, range: SourceRange = {}): SourceExcerpt {
  const excerpt = readSourceExcerpt(file, range);
  if ("problem" in excerpt) {
    throw new ContentError({ file, element: `<${SOURCE_COMPONENT}>`, message: excerpt.problem });
  }
  return excerpt;
}

/** Every `<SourceCode>` of a lesson must name a readable excerpt (checked with the lesson). */
export function checkSourceCode(file: string, tree: MdxNode): void {
  const problems: ContentProblem[] = [];
  for (const node of findAll(tree, SOURCE_COMPONENT)) {
    const attributes = attributesOf(file, node);
    const where = { file, line: lineOf(node), element: `<${SOURCE_COMPONENT}>` };
    const unknown = Object.keys(attributes).filter((name) => !ATTRIBUTES.includes(name));
    for (const name of unknown) {
      problems.push({
        ...where,
        field: name,
        message: `is not an attribute (it takes ${ATTRIBUTES.join(", ")})`,
      });
    }
    if (!attributes.file) {
      problems.push({ ...where, field: "file", message: "is required" });
      continue;
    }
    const excerpt = readSourceExcerpt(attributes.file, attributes);
    if ("problem" in excerpt) problems.push({ ...where, field: "file", message: excerpt.problem });
  }
  if (problems.length > 0) throw new ContentError(problems);
}
