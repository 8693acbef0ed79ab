"use client";

import dynamic from "next/dynamic";

/**
 * The progress file controls carry a schema library for precise import errors; they load after
 * the page is interactive so the course home's first load stays light.
 */
export const ProgressFileLoader = dynamic(
  () => import("./progress-file.client").then((module) => module.ProgressFileControls),
  { ssr: false, loading: () => <div aria-hidden="true" className="h-24" /> },
);
