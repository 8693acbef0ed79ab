export interface SearchDocument {
  slug: string;
  title: string;
  summary: string;
  headings: Array<{ id: string; text: string }>;
  text: string;
}

export interface SearchResult {
  slug: string;
  title: string;
  /** The heading nearest the best match, for a deep link. */
  heading?: { id: string; text: string };
  snippet: string;
  score: number;
}

const MAX_QUERY_LENGTH = 200;

const isText = (value: unknown): value is string => typeof value === "string";

/** The fetched index, checked: a damaged or stale file is refused, never searched half-way. */
export function parseSearchIndex(data: unknown): SearchDocument[] | null {
  if (!Array.isArray(data)) return null;
  const valid = data.every((item: Partial<Record<keyof SearchDocument, unknown>> | null) => {
    if (typeof item !== "object" || item === null) return false;
    const { slug, title, summary, text, headings } = item;
    return (
      [slug, title, summary, text].every(isText) &&
      Array.isArray(headings) &&
      headings.every(
        (heading: { id?: unknown; text?: unknown } | null) =>
          typeof heading === "object" &&
          heading !== null &&
          isText(heading.id) &&
          isText(heading.text),
      )
    );
  });
  return valid ? (data as SearchDocument[]) : null;
}

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 1);
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (
    let index = haystack.indexOf(needle);
    index >= 0;
    index = haystack.indexOf(needle, index + needle.length)
  ) {
    count += 1;
  }
  return count;
}

function snippetAround(text: string, term: string, radius = 80): string {
  const index = text.toLowerCase().indexOf(term);
  if (index < 0) return text.slice(0, radius * 2).trim() + (text.length > radius * 2 ? "…" : "");
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + term.length + radius);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).trim()}${end < text.length ? "…" : ""}`;
}

/**
 * Ranks lessons for a query: every term must appear somewhere in the lesson (prefix matches
 * count, so "virtuali" finds "virtualization"); title and heading hits weigh more than body hits.
 */
export function search(documents: SearchDocument[], query: string): SearchResult[] {
  const terms = [...new Set(tokenize(query.slice(0, MAX_QUERY_LENGTH)))];
  if (terms.length === 0) return [];
  const results: SearchResult[] = [];
  for (const document of documents) {
    const title = document.title.toLowerCase();
    const headings = document.headings.map((heading) => heading.text.toLowerCase());
    const text = `${document.summary} ${document.text}`.toLowerCase();
    let score = 0;
    let matchedAll = true;
    for (const term of terms) {
      const inTitle = countOccurrences(title, term);
      const inHeadings = headings.reduce(
        (sum, heading) => sum + countOccurrences(heading, term),
        0,
      );
      const inText = countOccurrences(text, term);
      if (inTitle + inHeadings + inText === 0) {
        matchedAll = false;
        break;
      }
      score += inTitle * 10 + inHeadings * 4 + Math.min(inText, 20);
    }
    if (!matchedAll) continue;
    const first = terms[0]!;
    const heading = document.headings.find((candidate) =>
      candidate.text.toLowerCase().includes(first),
    );
    results.push({
      slug: document.slug,
      title: document.title,
      heading,
      snippet: snippetAround(document.text, first),
      score,
    });
  }
  return results.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title));
}
