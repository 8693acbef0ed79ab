"use client";

import dynamic from "next/dynamic";

/** The overhead panel, loaded after the page is interactive so it stays out of the initial JavaScript. */
export const OverheadPanelLoader = dynamic(
  () => import("./overhead-panel.client").then((m) => m.OverheadPanel),
  {
    ssr: false,
    loading: () => (
      <div
        aria-hidden="true"
        className="h-64 animate-pulse rounded-xl border border-dashed border-slate-300 dark:border-slate-700"
      />
    ),
  },
);
