import { sourceExcerpt } from "@/lib/content/source-code";

interface SourceCodeProps {
  /** A path in the repository, e.g. `guest/vmm/trapdemo.c`. */
  file: string;
  from?: string;
  to?: string;
  title?: string;
  /** `"true"` shows the code at once; otherwise it is one click away. */
  open?: string;
}

/** A program's source (or an excerpt), read from the repository when the page is built. */
export function SourceCode({ file, from, to, title, open }: SourceCodeProps) {
  const excerpt = sourceExcerpt(file, { from, to });
  const whole = excerpt.firstLine === 1 && excerpt.lastLine === excerpt.totalLines;
  const where = whole
    ? `${excerpt.totalLines} lines`
    : `lines ${excerpt.firstLine}-${excerpt.lastLine} of ${excerpt.totalLines}`;
  return (
    <details
      open={open === "true"}
      className="my-6 rounded-lg border border-slate-200 dark:border-slate-700"
      data-source-file={file}
    >
      <summary className="cursor-pointer px-4 py-2 text-sm">
        <span className="font-mono font-semibold">{title ?? file}</span>{" "}
        <span className="text-slate-600 dark:text-slate-400">
          ({file}, {where})
        </span>
      </summary>
      <pre
        tabIndex={0}
        aria-label={`Source: ${title ?? file}`}
        className="!my-0 max-h-[32rem] overflow-auto !rounded-t-none text-[0.8rem] leading-snug"
      >
        <code>{excerpt.text}</code>
      </pre>
    </details>
  );
}
