"use client";

import dynamic from "next/dynamic";

/** The host picture loads with the VM runtime, on the lessons that show it, never before. */
export const HostPicture = dynamic(
  () => import("./host-picture-view.client").then((module) => module.HostPictureView),
  {
    ssr: false,
    loading: () => (
      <div
        aria-hidden="true"
        className="mt-4 h-28 rounded-xl border border-dashed border-slate-300 dark:border-slate-700"
      />
    ),
  },
);
