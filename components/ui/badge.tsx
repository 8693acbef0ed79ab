import type { ComponentPropsWithRef } from "react";
import { cn } from "@/lib/cn";

export type BadgeTone = "neutral" | "muted" | "info" | "success" | "warning" | "danger";

const TONES: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  muted: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100",
  info: "bg-brand-100 text-brand-700 dark:bg-slate-800 dark:text-brand-300",
  success: "bg-green-100 text-green-900 dark:bg-green-900 dark:text-green-100",
  warning: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  danger: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
};

export type BadgeProps = ComponentPropsWithRef<"span"> & { tone?: BadgeTone; size?: "sm" | "md" };

/** A short status in a pill: a VM's state, a lesson's progress. */
export function Badge({ tone = "neutral", size = "md", className, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        "inline-block rounded-full",
        size === "sm" ? "px-2 py-0.5 text-xs font-semibold" : "px-2.5 py-0.5 text-sm font-medium",
        TONES[tone],
        className,
      )}
      {...props}
    />
  );
}
