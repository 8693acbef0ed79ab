"use client";

import dynamic from "next/dynamic";

/** Loads the VM UI after the page is interactive, so it stays out of the page's initial JavaScript. */
export const PlaygroundLoader = dynamic(
  () => import("./playground.client").then((m) => m.Playground),
  {
    ssr: false,
    loading: () => (
      <div
        aria-hidden="true"
        className="h-[26rem] animate-pulse rounded-xl border border-dashed border-slate-300 dark:border-slate-700"
      />
    ),
  },
);
