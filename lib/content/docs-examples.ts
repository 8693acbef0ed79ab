import { readFileSync } from "node:fs";
import path from "node:path";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { ContentError } from "./errors";
import type { ContentProblem } from "./errors";
import { readFrontmatter } from "./frontmatter";
import { readBody } from "./lesson";
import { parseMdx } from "./mdx";
import type { MdxNode } from "./mdx";

/** The documents whose MDX examples must pass the same validation as a lesson. */
export const DOCS_WITH_EXAMPLES = ["docs/authoring-labs.md", "README.md"];

export interface DocsExample {
  file: string;
  /** Line of the opening fence in the document. */
  line: number;
  kind: "mdx" | "frontmatter";
  source: string;
}

/** Fenced `mdx` blocks, and `yaml` blocks that are a whole frontmatter block (--- to ---). */
export function docsExamples(file: string, markdown: string): DocsExample[] {
  const tree = unified().use(remarkParse).parse(markdown) as unknown as MdxNode;
  return (tree.children ?? []).flatMap((node): DocsExample[] => {
    if (node.type !== "code") return [];
    const source = node.value ?? "";
    const line = node.position?.start.line ?? 1;
    if (node.lang === "mdx") return [{ file, line, kind: "mdx", source }];
    if (node.lang === "yaml" && /^---\n[\s\S]*\n---\s*$/.test(source)) {
      return [{ file, line, kind: "frontmatter", source }];
    }
    return [];
  });
}

/** What is wrong with one example, with lines counted in its document. */
export function checkDocsExample(example: DocsExample): ContentProblem[] {
  try {
    const tree = parseMdx(example.file, example.source);
    if (example.kind === "frontmatter") readFrontmatter(example.file, tree);
    else readBody(example.file, tree);
    return [];
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    return error.problems.map((problem) => ({
      ...problem,
      // The example's first line is the one after its opening fence.
      line: example.line + (problem.line ?? 0),
    }));
  }
}

/** Every example of the documents that carry them, checked; empty when all of them build. */
export function checkDocsExamples(root: string = process.cwd()): {
  examples: number;
  problems: ContentProblem[];
} {
  const examples = DOCS_WITH_EXAMPLES.flatMap((file) =>
    docsExamples(file, readFileSync(path.join(/*turbopackIgnore: true*/ root, file), "utf8")),
  );
  return { examples: examples.length, problems: examples.flatMap(checkDocsExample) };
}
