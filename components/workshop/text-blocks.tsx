import type { TextBlock } from "@/lib/workshop/outline";
import { cn } from "@/lib/cn";

/** A step's instruction (or a note) as extracted at build time: paragraphs and commands. */
export function TextBlocks({ blocks, className }: { blocks: TextBlock[]; className?: string }) {
  return (
    <div className={cn("space-y-3", className)}>
      {blocks.map((block, index) =>
        block.kind === "code" ? (
          <pre
            key={index}
            className="whitespace-pre-wrap break-words rounded-lg bg-slate-900 px-4 py-2 font-mono text-slate-100 print:border print:border-slate-400 print:bg-white print:text-black"
          >
            <code>{block.text}</code>
          </pre>
        ) : (
          <p key={index}>{block.text}</p>
        ),
      )}
    </div>
  );
}
