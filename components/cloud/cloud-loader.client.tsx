"use client";

import dynamic from "next/dynamic";

/** Loads the console after the page is interactive, so it stays out of the page's first JavaScript. */
export const CloudConsoleLoader = dynamic(
  () => import("./cloud-console.client").then((m) => m.StandaloneCloudConsole),
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
