import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import type { RawElement } from "../labs/definition";
import { ContentError } from "./errors";

/** The mdast nodes the pipeline reads (remark-mdx's JSX elements included). */
export interface MdxNode {
  type: string;
  name?: string | null;
  value?: string;
  depth?: number;
  alt?: string | null;
  /** A fenced code block's language. */
  lang?: string | null;
  attributes?: Array<{ type: string; name?: string; value?: unknown }>;
  children?: MdxNode[];
  position?: { start: { line: number } };
}

/** The same syntax @next/mdx compiles: MDX, YAML frontmatter and GitHub's Markdown extensions. */
const parser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter).use(remarkGfm);

/** Parses one MDX source into its mdast tree: the only place lessons are parsed. */
export function parseMdx(file: string, source: string): MdxNode {
  try {
    return parser.parse(source) as MdxNode;
  } catch (error) {
    const place = (error as { line?: number }).line;
    throw new ContentError({
      file,
      line: typeof place === "number" ? place : undefined,
      message: `not valid MDX: ${(error as Error).message}`,
    });
  }
}

export function isJsx(node: MdxNode, name?: string): boolean {
  return (
    (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") &&
    (name === undefined || node.name === name)
  );
}

export function lineOf(node: MdxNode): number | undefined {
  return node.position?.start.line;
}

/** Elements named `name` under `node`, in document order, not looking inside `stopAt` elements. */
export function findAll(node: MdxNode, name: string, stopAt: readonly string[] = []): MdxNode[] {
  const found: MdxNode[] = [];
  for (const child of node.children ?? []) {
    if (isJsx(child, name)) found.push(child);
    if (!isJsx(child) || !stopAt.includes(child.name ?? "")) {
      found.push(...findAll(child, name, stopAt));
    }
  }
  return found;
}

/** A component's attributes as strings; a bare flag reads "true", an expression is refused. */
export function attributesOf(file: string, node: MdxNode): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const attribute of node.attributes ?? []) {
    const problem = { file, line: lineOf(node), element: `<${node.name}>` };
    if (attribute.type !== "mdxJsxAttribute" || !attribute.name) {
      throw new ContentError({ ...problem, message: "takes plain attributes only" });
    }
    if (attribute.value === null || attribute.value === undefined) {
      attributes[attribute.name] = "true";
    } else if (typeof attribute.value === "string") {
      attributes[attribute.name] = attribute.value;
    } else {
      throw new ContentError({
        ...problem,
        field: attribute.name,
        message: `must be a plain string in quotes, e.g. ${attribute.name}="..."`,
      });
    }
  }
  return attributes;
}

/** An element with the child components a schema reads (found at any depth below it). */
export function rawElement(
  file: string,
  node: MdxNode,
  children: Record<string, readonly string[]> = {},
): RawElement {
  return {
    tag: node.name ?? "",
    line: lineOf(node) ?? 0,
    attributes: attributesOf(file, node),
    children: Object.fromEntries(
      Object.entries(children).map(([name, grandchildren]) => [
        name,
        findAll(node, name).map((child) =>
          rawElement(file, child, Object.fromEntries(grandchildren.map((g) => [g, []]))),
        ),
      ]),
    ),
  };
}

/** The text of a node and everything under it, as a reader sees it. */
export function textOf(node: MdxNode): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}
