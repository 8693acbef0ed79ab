import type { Heading } from "@/lib/content/headings";
import { cn } from "@/lib/cn";

export function TableOfContents({ headings }: { headings: Heading[] }) {
  if (headings.length === 0) return null;
  return (
    <nav aria-label="On this page" className="no-print hidden xl:block">
      <div className="sticky top-20 text-sm">
        <p className="mb-3 font-semibold text-slate-600 dark:text-slate-400">On this page</p>
        <ul className="space-y-1.5">
          {headings.map((heading) => (
            <li key={heading.id} className={cn(heading.depth === 3 && "pl-3")}>
              <a
                href={`#${heading.id}`}
                className="text-slate-700 hover:text-brand-700 dark:text-slate-300 dark:hover:text-brand-300"
              >
                {heading.text}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </nav>
  );
}
