import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

const TONES = {
  note: { label: "Note", className: "border-brand-600 bg-brand-50 dark:bg-slate-900" },
  tip: { label: "Tip", className: "border-emerald-600 bg-emerald-50 dark:bg-slate-900" },
  warning: { label: "Careful", className: "border-amber-600 bg-amber-50 dark:bg-slate-900" },
} as const;

interface CalloutProps {
  type?: keyof typeof TONES;
  title?: string;
  children: ReactNode;
}

export function Callout({ type = "note", title, children }: CalloutProps) {
  const tone = TONES[type] ?? TONES.note;
  return (
    <aside
      className={cn("rounded-lg border-l-4 p-4 [&>*+*]:mt-3", tone.className)}
      aria-label={title ?? tone.label}
    >
      <p className="font-semibold">{title ?? tone.label}</p>
      {children}
    </aside>
  );
}
