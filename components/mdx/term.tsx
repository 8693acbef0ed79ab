import Link from "next/link";
import type { ReactNode } from "react";
import { getGlossaryEntry } from "@/lib/content/glossary";

interface TermProps {
  id: string;
  children?: ReactNode;
}

/** A term's first mention in a lesson, linked to its glossary entry. Unknown ids stop the build. */
export function Term({ id, children }: TermProps) {
  const entry = getGlossaryEntry(id);
  if (!entry) throw new Error(`<Term id="${id}">: no such entry in lib/content/glossary.ts`);
  return (
    <Link href={`/glossary#${entry.id}`} data-term={entry.id}>
      {children ?? entry.term}
    </Link>
  );
}
