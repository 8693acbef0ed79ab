import { parse as parseYaml } from "yaml";
import { z } from "../zod";

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

export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | null,
    detail: string,
  ) {
    super(`${file}: ${field ? `field "${field}": ` : ""}${detail}`);
    this.name = "ContentError";
  }
}

const FRONTMATTER_BLOCK = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Splits a lesson source into its YAML frontmatter block and the MDX body. */
export function splitFrontmatter(file: string, source: string): { yaml: string; body: string } {
  const match = FRONTMATTER_BLOCK.exec(source);
  if (!match) {
    throw new ContentError(file, null, "missing frontmatter: the file must start with a --- block");
  }
  return { yaml: match[1] ?? "", body: source.slice(match[0].length) };
}

export function parseLessonFrontmatter(file: string, source: string): LessonFrontmatter {
  const { yaml } = splitFrontmatter(file, source);
  let data: unknown;
  try {
    data = parseYaml(yaml);
  } catch (error) {
    throw new ContentError(
      file,
      null,
      `frontmatter is not valid YAML (${(error as Error).message})`,
    );
  }
  const result = lessonFrontmatterSchema.safeParse(data ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : null;
    const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : null;
    throw new ContentError(
      file,
      unknownKeys ?? field,
      unknownKeys ? "unknown field" : issue.message,
    );
  }
  return result.data;
}
