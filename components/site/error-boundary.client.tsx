"use client";

import { Component } from "react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

interface ErrorBoundaryProps {
  /** The region's accessible name while it shows the failure ("Lab: …", "VM …"). */
  label: string;
  /** Subject of the sentence that says what happened ("The lab “…”", "VM web"). */
  what: string;
  /** "Reset this lab", "Reset this panel". */
  resetLabel: string;
  /** Releases what the failed part still holds (a VM's worker) before it is drawn again. */
  onReset?: () => void;
  children?: ReactNode;
}

/**
 * Keeps one part's failure inside that part: says what broke and draws it afresh on request,
 * while the rest of the page goes on working. Small on purpose: lesson pages load it up front.
 */
export class ErrorBoundary extends Component<
  ErrorBoundaryProps,
  { error: unknown; failed: boolean }
> {
  state = { error: undefined as unknown, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  render() {
    const { label, what, resetLabel, onReset, children } = this.props;
    if (!this.state.failed) return children;
    const { error } = this.state;
    return (
      <section
        aria-label={label}
        className="my-4 rounded-xl border-2 border-red-600 p-4 text-slate-900 dark:text-slate-100"
      >
        <p role="alert" className="font-semibold">
          {what} stopped working: {error instanceof Error ? error.message : String(error)}
        </p>
        <Button
          className="mt-3"
          onClick={() => {
            onReset?.();
            this.setState({ error: undefined, failed: false });
          }}
        >
          {resetLabel}
        </Button>
      </section>
    );
  }
}
