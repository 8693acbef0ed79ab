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

/** Level 2 and 3 markdown headings of an MDX body, skipping fenced code. */
export function extractHeadings(body: string): Heading[] {
  const headings: Heading[] = [];
  let inFence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const match = /^(#{2,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!match) continue;
    const text = match[2]!.replace(/[`*_]/g, "");
    headings.push({ depth: match[1]!.length as 2 | 3, text, id: slugify(text) });
  }
  return headings;
}
