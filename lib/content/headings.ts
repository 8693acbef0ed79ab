import type { MdxNode } from "./mdx";
import { textOf } from "./mdx";

export interface Heading {
  depth: 2 | 3;
  text: string;
  id: string;
}

/** The id a heading gets on the page; the table of contents links to the same ids. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9\s-]/g, "")
    .trim()
    .replace(/[\s-]+/g, "-");
}

/** The lesson's level 2 and 3 headings (its table of contents), in document order. */
export function headingsOf(tree: MdxNode): Heading[] {
  return (tree.children ?? []).flatMap((node) => {
    if (node.type !== "heading" || (node.depth !== 2 && node.depth !== 3)) return [];
    const text = textOf(node).trim();
    return [{ depth: node.depth, text, id: slugify(text) }];
  });
}
