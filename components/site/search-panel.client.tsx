"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useMemo, useState } from "react";
import { parseSearchIndex, search } from "@/lib/search/search";
import type { SearchDocument, SearchResult } from "@/lib/search/search";
import { withBasePath } from "@/lib/site";

type IndexState = { documents: SearchDocument[] } | { error: string } | null;

/** The snippet with its matched words in <mark>. */
function Snippet({ result }: { result: SearchResult }) {
  const parts = [];
  let at = 0;
  for (const [from, to] of result.marks) {
    parts.push(result.snippet.slice(at, from));
    parts.push(
      <mark key={from} className="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-700/60">
        {result.snippet.slice(from, to)}
      </mark>,
    );
    at = to;
  }
  parts.push(result.snippet.slice(at));
  return <p className="mt-1 text-slate-700 dark:text-slate-300">{parts}</p>;
}

export function SearchPanel() {
  const params = useSearchParams();
  const router = useRouter();
  const initial = (params.get("q") ?? "").slice(0, 200);
  const [query, setQuery] = useState(initial);
  const [index, setIndex] = useState<IndexState>(null);
  const inputId = useId();

  useEffect(() => {
    let cancelled = false;
    fetch(withBasePath("/search-index.json"))
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json() as Promise<unknown>;
      })
      .then((data) => {
        const documents = parseSearchIndex(data);
        if (!documents) throw new Error("the index file is damaged");
        if (!cancelled) setIndex({ documents });
      })
      .catch((error: unknown) => !cancelled && setIndex({ error: (error as Error).message }));
    return () => {
      cancelled = true;
    };
  }, []);

  const results = useMemo(
    () => (index && "documents" in index ? search(index.documents, query) : []),
    [index, query],
  );

  return (
    <div className="mt-6">
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          router.replace(`/search?q=${encodeURIComponent(query)}`);
        }}
      >
        <label htmlFor={inputId} className="block text-sm font-medium">
          Words to find
        </label>
        <input
          id={inputId}
          type="search"
          value={query}
          maxLength={200}
          autoFocus
          onChange={(event) => setQuery(event.target.value)}
          className="mt-1 w-full rounded-lg border border-slate-400 px-3 py-2 text-lg dark:border-slate-600 dark:bg-slate-900"
        />
      </form>
      <div className="mt-6" aria-live="polite">
        {index === null ? <p>Loading the index…</p> : null}
        {index && "error" in index ? (
          <p role="alert">The search index could not be loaded ({index.error}).</p>
        ) : null}
        {index && "documents" in index && query.trim() !== "" ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {results.length === 0
              ? "No lesson matches."
              : `${results.length} lesson${results.length === 1 ? "" : "s"} found.`}
          </p>
        ) : null}
        <ol className="mt-4 space-y-4" aria-label="Search results">
          {results.map((result) => (
            <li
              key={result.slug}
              className="rounded-xl border border-slate-200 p-4 dark:border-slate-800"
            >
              <Link
                href={`/labs/${result.slug}${result.heading ? `#${result.heading.id}` : ""}`}
                className="text-lg font-semibold text-brand-700 hover:underline dark:text-brand-300"
              >
                {result.title}
                {result.heading ? ` › ${result.heading.text}` : ""}
              </Link>
              <Snippet result={result} />
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
