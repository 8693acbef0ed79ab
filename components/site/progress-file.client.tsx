"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { ChangeEvent } from "react";
import { updateProgress, useProgress } from "@/components/labs/use-progress";
import {
  checkProgressFileSize,
  describeSummary,
  mergeProgress,
  parseProgressFile,
  progressFileName,
  replaceProgress,
  serializeProgressFile,
  summarizeProgress,
} from "@/lib/labs/progress-file";
import type { ProgressFile } from "@/lib/labs/progress-file";
import { cn } from "@/lib/cn";
import { downloadBlob } from "@/lib/download";
import { Button, buttonClass } from "@/components/ui/button";
import { panelClass } from "@/components/ui/panel";

type ImportState =
  | { kind: "idle" }
  | { kind: "error"; fileName: string; message: string }
  | { kind: "confirm"; fileName: string; file: ProgressFile }
  | { kind: "done"; message: string };

const BUTTON = { size: "lg", className: "text-sm" } as const;

/** "Your progress": what is saved in this browser, and moving it to another one as a file. */
export function ProgressFileControls() {
  const { progress, error } = useProgress();
  const [state, setState] = useState<ImportState>({ kind: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const mergeButton = useRef<HTMLButtonElement>(null);
  const confirming = state.kind === "confirm";
  // The choice appears after the file dialog closes: put the keyboard on it, and back after.
  useEffect(() => {
    if (confirming) mergeButton.current?.focus();
    else if (document.activeElement === document.body) input.current?.focus();
  }, [confirming]);

  const exportFile = () => {
    if (!progress) return;
    const now = new Date();
    downloadBlob(
      new Blob([serializeProgressFile(progress, now)], { type: "application/json" }),
      progressFileName(now),
    );
  };

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    event.target.value = "";
    if (!chosen) return;
    const sizeError = checkProgressFileSize(chosen.size);
    if (sizeError) {
      setState({ kind: "error", fileName: chosen.name, message: sizeError });
      return;
    }
    let text: string;
    try {
      text = await chosen.text();
    } catch (readError) {
      setState({
        kind: "error",
        fileName: chosen.name,
        message: `The file could not be read (${(readError as Error).message}).`,
      });
      return;
    }
    const result = parseProgressFile(text);
    setState(
      result.ok
        ? { kind: "confirm", fileName: chosen.name, file: result.file }
        : { kind: "error", fileName: chosen.name, message: result.error },
    );
  };

  const apply = async (mode: "merge" | "replace", file: ProgressFile) => {
    try {
      await updateProgress((current) =>
        mode === "merge"
          ? mergeProgress(current, file.progress, Date.now())
          : replaceProgress(file.progress, Date.now()),
      );
      setState({
        kind: "done",
        message:
          mode === "merge"
            ? "Imported: the file's progress was added to yours."
            : "Imported: your progress was replaced by the file's.",
      });
    } catch (applyError) {
      setState({
        kind: "done",
        message: `Nothing was changed: the import could not be saved (${(applyError as Error).message}).`,
      });
    }
  };

  const summary = progress ? describeSummary(summarizeProgress(progress)) : null;

  return (
    <section aria-labelledby={headingId} className={panelClass("p-5")}>
      <h2 id={headingId} className="text-xl font-semibold">
        Your progress
      </h2>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Your progress is saved in this browser only. Export it as a file to keep a copy or to
        continue on another computer, then import it there.
      </p>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300" data-progress-summary>
        {error ?? (summary ? `So far: ${summary}.` : "\u00a0")}
      </p>
      <div className="mt-4 flex flex-wrap gap-3">
        <Button {...BUTTON} onClick={exportFile} disabled={!progress}>
          Export progress
        </Button>
        {/* The file input itself takes the keyboard (Enter or Space opens the file dialog);
            its label is what shows, styled as a button. */}
        <label
          className={cn(
            buttonClass(BUTTON),
            "cursor-pointer has-[input:focus-visible]:outline-3 has-[input:focus-visible]:outline-offset-2 has-[input:focus-visible]:outline-brand-600 dark:has-[input:focus-visible]:outline-brand-300",
            !progress && "pointer-events-none opacity-50",
          )}
        >
          Import progress…
          <input
            ref={input}
            type="file"
            accept="application/json,.json"
            className="sr-only"
            disabled={!progress}
            onChange={readFile}
          />
        </label>
      </div>
      {state.kind === "error" ? (
        <p
          role="alert"
          className="mt-4 rounded-md border-l-4 border-red-600 bg-red-50 p-3 text-sm text-red-900 dark:bg-slate-900 dark:text-red-300"
        >
          <strong>{state.fileName} was not imported.</strong> {state.message} Your saved progress is
          unchanged.
        </p>
      ) : null}
      {state.kind === "confirm" ? (
        <div
          role="group"
          aria-label="Confirm import"
          className="mt-4 rounded-md border-l-4 border-brand-600 bg-brand-50 p-3 text-sm dark:bg-slate-900"
        >
          <p>
            <strong>{state.fileName}</strong>, exported{" "}
            {new Date(state.file.exportedAt).toLocaleString()}:{" "}
            {describeSummary(summarizeProgress(state.file.progress))}.
          </p>
          <p className="mt-1">
            Merge keeps everything you have done here and adds the file’s. Replace makes this
            browser’s progress exactly the file’s.
          </p>
          <div className="mt-3 flex flex-wrap gap-3">
            <Button
              ref={mergeButton}
              variant="primary"
              {...BUTTON}
              onClick={() => apply("merge", state.file)}
            >
              Merge with my progress
            </Button>
            <Button {...BUTTON} onClick={() => apply("replace", state.file)}>
              Replace my progress
            </Button>
            <Button {...BUTTON} onClick={() => setState({ kind: "idle" })}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      {state.kind === "done" ? (
        <p role="status" className="mt-4 text-sm font-medium">
          {state.message}
        </p>
      ) : null}
    </section>
  );
}
