/** The readable text of an MDX lesson body: no frontmatter, JSX tags, code fences or Markdown marks. */
export function mdxToPlainText(body: string): string {
  return body
    .replace(/^---[\s\S]*?\n---\n/, "")
    .replace(/^(import|export)\s.*$/gm, "")
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/<\/?[A-Za-z][^>]*>/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[#>*_`|~]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
