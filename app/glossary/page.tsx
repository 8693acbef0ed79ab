import type { Metadata } from "next";
import Link from "next/link";
import { getGlossaryEntry, sortedGlossary } from "@/lib/content/glossary";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Glossary",
  description: "Short definitions of the virtualization terms used in the course.",
};

export default function GlossaryPage() {
  const entries = sortedGlossary();
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-3xl font-bold tracking-tight">Glossary</h1>
      <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">
        The words the lessons use, each in a sentence or two. Terms linked in a lesson lead here.
      </p>
      <dl className="mt-10 divide-y divide-slate-200 dark:divide-slate-800">
        {entries.map((entry) => (
          <div
            key={entry.id}
            id={entry.id}
            className="scroll-mt-20 py-5 target:bg-brand-50 target:dark:bg-slate-900"
          >
            <dt className="text-lg font-semibold text-slate-900 dark:text-white">
              <a href={`#${entry.id}`} className="hover:underline">
                {entry.term}
              </a>
            </dt>
            <dd className="mt-2 leading-7 text-slate-700 dark:text-slate-300">
              {entry.definition}
              {entry.related && entry.related.length > 0 ? (
                <span className="mt-2 block text-sm text-slate-600 dark:text-slate-400">
                  See also:{" "}
                  {entry.related.map((id, index) => (
                    <span key={id}>
                      {index > 0 ? ", " : null}
                      <Link
                        href={`#${id}`}
                        className="font-medium text-brand-700 underline underline-offset-2 dark:text-brand-300"
                      >
                        {getGlossaryEntry(id)?.term ?? id}
                      </Link>
                    </span>
                  ))}
                </span>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
    </main>
  );
}
