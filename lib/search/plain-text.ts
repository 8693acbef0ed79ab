/** The part of an mdast node that plain text needs (lib/content's MDX nodes fit it). */
export interface TextNode {
  type: string;
  name?: string | null;
  value?: string;
  alt?: string | null;
  children?: TextNode[];
}

/** Nodes with no readable text: frontmatter, code blocks, imports and exports, expressions. */
const SILENT = new Set(["yaml", "code", "mdxjsEsm", "mdxFlowExpression", "mdxTextExpression"]);
/** Nodes inside a line of text: they do not end a word. */
const INLINE = new Set([
  "text",
  "inlineCode",
  "emphasis",
  "strong",
  "delete",
  "link",
  "linkReference",
  "mdxJsxTextElement",
]);

/**
 * The readable text of a lesson's tree: prose, inline code, link text and image descriptions,
 * without Markdown marks, components' attributes or the elements named in `leaveOut`.
 */
export function plainText(tree: TextNode, leaveOut: readonly string[] = []): string {
  const parts: string[] = [];
  const walk = (node: TextNode) => {
    if (SILENT.has(node.type)) return;
    if (node.name && leaveOut.includes(node.name)) return;
    if (node.type === "text" || node.type === "inlineCode") parts.push(node.value ?? "");
    else if (node.type === "image") parts.push(node.alt ?? "");
    node.children?.forEach(walk);
    // Blocks, cells and block components end a word even where the source has no space.
    if (!INLINE.has(node.type)) parts.push(" ");
  };
  walk(tree);
  return parts.join("").replace(/\s+/g, " ").trim();
}
