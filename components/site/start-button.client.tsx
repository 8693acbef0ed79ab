"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import { pageStorage, readLastVisited } from "@/lib/labs/last-visited";

interface StartButtonProps {
  lessons: Array<{ slug: string; title: string }>;
}

const subscribe = () => () => {};

/** "Start the course", or "Continue" with the lesson the learner last opened. */
export function StartButton({ lessons }: StartButtonProps) {
  const slugs = lessons.map((lesson) => lesson.slug);
  const lastSlug = useSyncExternalStore(
    subscribe,
    () => readLastVisited(pageStorage(), slugs),
    () => null,
  );
  const last = lessons.find((lesson) => lesson.slug === lastSlug);
  const target = last ?? lessons[0];
  if (!target) return null;
  return (
    <Link
      href={`/labs/${target.slug}`}
      className="inline-flex items-center gap-2 rounded-lg bg-brand-600 px-5 py-3 font-semibold text-white shadow-sm hover:bg-brand-700"
    >
      {last ? `Continue: ${last.title}` : "Start the course"}
      <span aria-hidden="true">→</span>
    </Link>
  );
}
