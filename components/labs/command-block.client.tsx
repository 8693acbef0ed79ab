"use client";

import type { ReactNode } from "react";
import { useState } from "react";
import { textOf } from "@/lib/react-text";
import { LabContext } from "./lab-context";
import { useContext } from "react";

/** A command with a button that types it into a machine of the enclosing lab. */
export function CommandBlock({ vm, children }: { vm?: string; children?: ReactNode }) {
  const lab = useContext(LabContext);
  const command = textOf(children).trim();
  const target = vm ?? lab?.lab.machines[0]?.name;
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="my-3">
      <div className="flex items-stretch overflow-hidden rounded-lg bg-slate-900 text-slate-100">
        <pre className="!m-0 min-w-0 flex-1 !rounded-none !bg-transparent px-4 py-3 text-sm whitespace-pre-wrap [overflow-wrap:anywhere]">
          <code>{command}</code>
        </pre>
        {lab && target ? (
          <button
            type="button"
            disabled={!lab.machines}
            onClick={async () => {
              setError(null);
              try {
                await lab.machines?.typeInto(target, `${command}\n`);
              } catch (caught) {
                setError((caught as Error).message);
              }
            }}
            className="shrink-0 border-l border-slate-700 px-3 text-sm font-medium hover:bg-slate-800 disabled:opacity-50"
          >
            Run in {target}
          </button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
