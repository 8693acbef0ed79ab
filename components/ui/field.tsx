import type { ComponentPropsWithRef, ReactNode } from "react";
import { cn } from "@/lib/cn";

/** What a form control needs from its field: its id and the ids of the texts that describe it. */
export interface FieldControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

export interface FieldProps {
  /** The control's id; the hint and error take `<id>-hint` and `<id>-error`. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Shown under the control, which is then marked invalid. */
  error?: ReactNode;
  className?: string;
  /** Draws the control with the props that tie it to the label, hint and error. */
  children: (control: FieldControlProps) => ReactNode;
}

/** A label, its control, a hint and an error: the error is said where the value was typed. */
export function Field({ id, label, hint, error, className, children }: FieldProps) {
  const describedBy = [error ? `${id}-error` : undefined, hint ? `${id}-hint` : undefined]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={className}>
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The look of a text field or a select; red when its value was refused. */
export function controlClass({
  invalid,
  className,
}: { invalid?: boolean; className?: string } = {}): string {
  return cn(
    "rounded-md border bg-white px-2 py-1.5 disabled:opacity-60 dark:bg-slate-900",
    invalid ? "border-red-600" : "border-slate-400 dark:border-slate-600",
    className,
  );
}

export type InputProps = ComponentPropsWithRef<"input">;

/** A text field; invalid when `aria-invalid` is set (as Field sets it). */
export function Input({ className, ...props }: InputProps) {
  return (
    <input
      className={controlClass({ invalid: Boolean(props["aria-invalid"]), className })}
      {...props}
    />
  );
}
