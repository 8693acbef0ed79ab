import { LineCounter, parseDocument } from "yaml";
import { z } from "../zod";
import { ContentError } from "./errors";
import { parseMdx } from "./mdx";
import type { MdxNode } from "./mdx";

/** The sections of the source article a lesson can mirror, in course order. */
export const ARTICLE_SECTIONS = [
  "why-virtualize",
  "building-blocks",
  "hypervisor-types",
  "build-an-environment",
  "understanding-the-magic",
  "drawbacks",
  "cloud-computing",
  "recap",
] as const;

export const lessonFrontmatterSchema = z
  .object({
    title: z.string().trim().min(3).max(90),
    summary: z.string().trim().min(10).max(280),
    minutes: z.number().int().min(1).max(240),
    order: z.number().int().min(1).max(99),
    section: z.enum(ARTICLE_SECTIONS),
    objectives: z.array(z.string().trim().min(3).max(200)).min(1).max(8),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;

/** Validates the YAML block of a parsed lesson; errors name the file, the field and its line. */
export function readFrontmatter(file: string, tree: MdxNode): LessonFrontmatter {
  const block = tree.children?.[0];
  if (block?.type !== "yaml") {
    throw new ContentError({
      file,
      line: 1,
      message: "missing frontmatter: the file must start with a --- block",
    });
  }
  // The YAML text starts on the line after the opening ---.
  const firstLine = (block.position?.start.line ?? 1) + 1;
  const lines = new LineCounter();
  const document = parseDocument(block.value ?? "", { lineCounter: lines, prettyErrors: false });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? firstLine - 1 : firstLine + lines.linePos(offset).line - 1;
  const invalid = (message: string, offset?: number) =>
    new ContentError({
      file,
      line: lineAt(offset),
      message: `frontmatter is not valid YAML (${message.split("\n")[0]})`,
    });
  const error = document.errors[0];
  if (error) throw invalid(error.message, error.pos[0]);
  let data: unknown;
  try {
    data = document.toJS();
  } catch (caught) {
    // An alias to an anchor that does not exist, or one that expands without end.
    throw invalid((caught as Error).message);
  }
  const result = lessonFrontmatterSchema.safeParse(data ?? {}, {
    error: (issue) => (issue.input === undefined ? "is required" : undefined),
  });
  if (result.success) return result.data;
  throw new ContentError(
    result.error.issues.map((issue) => {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : null;
      const path = keys ? [keys[0]!] : issue.path;
      const node = path.length > 0 ? document.getIn(path as string[], true) : undefined;
      const key = keys ? findKey(document, keys[0]!) : undefined;
      return {
        file,
        line: lineAt(key ?? (node as { range?: [number] } | undefined)?.range?.[0]),
        field: keys ? keys.join(", ") : path.length > 0 ? path.join(".") : undefined,
        message: keys ? "unknown field" : issue.message,
      };
    }),
  );
}

function findKey(document: ReturnType<typeof parseDocument>, name: string): number | undefined {
  const contents = document.contents as {
    items?: Array<{ key?: { value?: unknown; range?: [number] } }>;
  };
  return contents?.items?.find((pair) => pair.key?.value === name)?.key?.range?.[0];
}

/** Parses a lesson source and reads its frontmatter alone (for tests and tools). */
export function parseLessonFrontmatter(file: string, source: string): LessonFrontmatter {
  return readFrontmatter(file, parseMdx(file, source));
}
