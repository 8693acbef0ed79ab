import type { ComponentPropsWithRef } from "react";
import { cn } from "@/lib/cn";

export type ButtonVariant =
  "secondary" | "primary" | "danger" | "danger-solid" | "warning" | "quiet";
export type ButtonSize = "sm" | "md" | "lg";

const VARIANTS: Record<ButtonVariant, string> = {
  secondary:
    "border border-slate-400 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800",
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  danger:
    "border border-slate-400 text-red-700 hover:bg-slate-100 dark:border-slate-600 dark:text-red-300 dark:hover:bg-slate-800",
  "danger-solid": "bg-red-700 text-white hover:bg-red-800",
  warning: "bg-amber-700 text-white hover:bg-amber-800",
  quiet: "hover:bg-slate-100 dark:hover:bg-slate-800",
};

const SIZES: Record<ButtonSize, string> = {
  sm: "rounded-md px-3 py-1 text-sm font-medium",
  md: "rounded-md px-3 py-1.5 text-sm font-medium",
  lg: "rounded-lg px-4 py-2 font-semibold",
};

/** The class string of a button, for elements that only look like one (a link, a file label). */
export function buttonClass({
  variant = "secondary",
  size = "md",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return cn(
    SIZES[size],
    VARIANTS[variant],
    "disabled:cursor-not-allowed disabled:opacity-50",
    className,
  );
}

export type ButtonProps = ComponentPropsWithRef<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
};

/** A button; `type="button"` unless told otherwise, so it never submits a form by accident. */
export function Button({ variant, size, className, type = "button", ...props }: ButtonProps) {
  return <button type={type} className={buttonClass({ variant, size, className })} {...props} />;
}
