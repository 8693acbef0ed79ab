import MiniSearch from "minisearch";

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
  /** Lesson text around the first match. */
  snippet: string;
  /** [start, end) of each matched word in the snippet, for highlighting. */
  marks: Array<[number, number]>;
  score: number;
}

const MAX_QUERY_LENGTH = 200;
const SNIPPET_BEFORE = 50;
const SNIPPET_LENGTH = 160;

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

/** Words as the index keeps them: lower case, accents dropped, at least two letters or digits. */
export function tokenize(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 1);
}

function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
}

/** fold() character by character, keeping the length, so positions in it are positions in text. */
function foldInPlace(text: string): string {
  return text.replace(/[^\x00-\x7f]|[A-Z]/g, (char) => {
    const folded = fold(char);
    return folded.length === 1 ? folded : " ";
  });
}

interface Entry {
  id: number;
  document: SearchDocument;
}

/**
 * Every term must match (title and heading hits weigh more than body hits); a term matches the
 * start of a word ("virtuali" finds "virtualization"), and one of five letters or more also a
 * word a letter or two away ("hypervsior" finds "hypervisor").
 */
const SEARCH_OPTIONS = {
  combineWith: "AND",
  prefix: true,
  fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
  maxFuzzy: 2,
  boost: { title: 10, headings: 4, summary: 2 },
} as const;

function buildIndex(documents: SearchDocument[]): MiniSearch<Entry> {
  const index = new MiniSearch<Entry>({
    fields: ["title", "headings", "summary", "text"],
    // Ids by position: slugs are not trusted to be unique in a fetched file.
    extractField: ({ id, document }, field) =>
      field === "id"
        ? id
        : field === "headings"
          ? document.headings.map((heading) => heading.text).join(" ")
          : document[field as "title" | "summary" | "text"],
    tokenize,
    processTerm: (term) => term,
    searchOptions: SEARCH_OPTIONS,
  });
  index.addAll(documents.map((document, id) => ({ id, document })));
  return index;
}

const indexes = new WeakMap<SearchDocument[], MiniSearch<Entry>>();

/** The lesson text around the first of `words`, and where each of them is in it. */
function snippetOf(text: string, words: string[]): Pick<SearchResult, "snippet" | "marks"> {
  const folded = foldInPlace(text);
  // Words come from tokenize(): letters and digits only, nothing to escape.
  const pattern = new RegExp(`(?<![a-z0-9])(?:${words.join("|")})(?![a-z0-9])`, "g");
  const first = words.length > 0 ? pattern.exec(folded) : null;
  const center = first ? first.index : 0;
  // Some words before the match, more after it; whole words at both ends.
  let start = Math.max(0, center - SNIPPET_BEFORE);
  if (start > 0) start = Math.min(center, text.indexOf(" ", start) + 1 || center);
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length)
    end = Math.max(text.lastIndexOf(" ", end), center + (first?.[0].length ?? 0));
  const marks: Array<[number, number]> = [];
  if (first) {
    pattern.lastIndex = start;
    for (let m = pattern.exec(folded); m && m.index + m[0].length <= end; m = pattern.exec(folded))
      marks.push([m.index, m.index + m[0].length]);
  }
  const lead = text.slice(start, end);
  const trimmed = lead.trimStart();
  const offset = (start > 0 ? 1 : 0) - (lead.length - trimmed.length);
  return {
    snippet: `${start > 0 ? "…" : ""}${trimmed.trimEnd()}${end < text.length ? "…" : ""}`,
    marks: marks.map(([from, to]) => [from - start + offset, to - start + offset]),
  };
}

/** Ranks lessons for a query (MiniSearch: prefix and fuzzy matching, every term required). */
export function search(documents: SearchDocument[], query: string): SearchResult[] {
  const text = query.slice(0, MAX_QUERY_LENGTH);
  if (tokenize(text).length === 0) return [];
  let index = indexes.get(documents);
  if (!index) indexes.set(documents, (index = buildIndex(documents)));
  return index.search(text).map((hit) => {
    const document = documents[hit.id as number]!;
    // hit.terms are the lesson's words that matched, whatever the query's spelling.
    const heading = document.headings.find((candidate) =>
      tokenize(candidate.text).some((word) => hit.terms.includes(word)),
    );
    return {
      slug: document.slug,
      title: document.title,
      heading,
      ...snippetOf(document.text, hit.terms),
      score: hit.score,
    };
  });
}
