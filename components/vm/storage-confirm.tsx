"use client";

import { useEffect, useRef, useState } from "react";

const button =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";
const danger = `${button} text-red-700 dark:text-red-300`;

export interface ConfirmButtonProps {
  label: string;
  /** The question asked before anything is deleted. */
  question: string;
  /** Accessible name when the visible label is shared by several rows. */
  ariaLabel?: string;
  disabled?: boolean;
  onConfirm: () => Promise<void> | void;
}

/**
 * A delete button that asks first: Cancel has the focus (the safe choice), and the focus comes
 * back to the button afterwards.
 */
export function ConfirmButton({
  label,
  question,
  ariaLabel,
  disabled,
  onConfirm,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) cancel.current?.focus();
    else if (wasAsking.current) trigger.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <button
        ref={trigger}
        type="button"
        className={danger}
        aria-label={ariaLabel}
        disabled={disabled || busy}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center gap-2">
      <span className="text-sm">{question}</span>
      <button ref={cancel} type="button" className={button} onClick={() => setAsking(false)}>
        Cancel
      </button>
      <button
        type="button"
        className={danger}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void Promise.resolve(onConfirm()).finally(() => {
            setBusy(false);
            setAsking(false);
          });
        }}
      >
        Yes, delete
      </button>
    </span>
  );
}
