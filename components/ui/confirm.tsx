"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button, type ButtonSize } from "./button";
import { cn } from "@/lib/cn";

export interface ConfirmButtonProps {
  label: string;
  /** The question asked before anything is deleted. */
  question: string;
  /** Accessible name when the visible label is shared by several rows. */
  ariaLabel?: string;
  /** The button that does it (default "Yes, delete"). */
  confirmLabel?: string;
  disabled?: boolean;
  size?: ButtonSize;
  onConfirm: () => Promise<void> | void;
}

/**
 * A destructive button that asks first, in place: Cancel has the focus (the safe choice), and the
 * focus comes back to the button afterwards.
 */
export function ConfirmButton({
  label,
  question,
  ariaLabel,
  confirmLabel = "Yes, delete",
  disabled,
  size,
  onConfirm,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (!asking && wasAsking.current) trigger.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <Button
        ref={trigger}
        variant="danger"
        size={size}
        aria-label={ariaLabel}
        disabled={disabled || busy}
        onClick={() => setAsking(true)}
      >
        {label}
      </Button>
    );
  return (
    <Confirm
      label={question}
      confirmLabel={confirmLabel}
      busy={busy}
      size={size}
      onCancel={() => setAsking(false)}
      onConfirm={() => {
        setBusy(true);
        void Promise.resolve(onConfirm()).finally(() => {
          setBusy(false);
          setAsking(false);
        });
      }}
    >
      <span className="text-sm">{question}</span>
    </Confirm>
  );
}

export interface ConfirmProps {
  /** The group's accessible name: the question. */
  label: string;
  confirmLabel: string;
  cancelLabel?: string;
  busy?: boolean;
  size?: ButtonSize;
  /** A box around the question and its buttons (a paragraph of consequences), or inline. */
  boxed?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}

/**
 * A question with a destructive answer and Cancel, shown in place of what asked it. Cancel takes
 * the focus when it appears, so Enter or a stray tap never does the harm.
 */
export function Confirm({
  label,
  confirmLabel,
  cancelLabel = "Cancel",
  busy,
  size,
  boxed,
  onConfirm,
  onCancel,
  children,
}: ConfirmProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const buttons = (
    <>
      <Button ref={cancel} size={size} onClick={onCancel}>
        {cancelLabel}
      </Button>
      <Button
        variant={boxed ? "danger-solid" : "danger"}
        size={size}
        disabled={busy}
        onClick={onConfirm}
      >
        {confirmLabel}
      </Button>
    </>
  );
  if (!boxed)
    return (
      <span role="group" aria-label={label} className="inline-flex flex-wrap items-center gap-2">
        {children}
        {buttons}
      </span>
    );
  return (
    <div
      role="group"
      aria-label={label}
      className={cn(
        "rounded-md border-l-4 border-red-600 bg-red-50 p-3 text-sm text-red-950 dark:bg-slate-900 dark:text-red-200",
      )}
    >
      {children}
      <div className="mt-3 flex flex-wrap gap-3">{buttons}</div>
    </div>
  );
}
