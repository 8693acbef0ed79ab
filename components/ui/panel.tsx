import type { ComponentPropsWithoutRef } from "react";
import { cn } from "@/lib/cn";

/** The bordered box that holds one thing: a VM, a form, a lesson card, a search result. */
export function panelClass(className?: string): string {
  return cn("rounded-xl border border-slate-200 p-4 dark:border-slate-800", className);
}

type PanelElement = "section" | "div" | "article" | "aside" | "li";

export type PanelProps = ComponentPropsWithoutRef<"section"> & { as?: PanelElement };

/** A panel; `as` picks the element (a section by default) so landmarks stay what they were. */
export function Panel({ as: Element = "section", className, ...props }: PanelProps) {
  return <Element className={panelClass(className)} {...props} />;
}
