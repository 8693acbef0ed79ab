"use client";

import { useEffect, useState } from "react";
import type { Progress } from "@/lib/labs/progress";
import type { LoadedProgress, ProgressStore } from "@/lib/labs/progress-store";

export interface ProgressState {
  progress: Progress | null;
  notice?: string;
  error?: string;
}

let firstLoad: Promise<{ store: ProgressStore; loaded: LoadedProgress }> | undefined;

/**
 * One load per page, so a reset notice reaches every part of the page that shows progress. The
 * store (and the IndexedDB library) is loaded after the page, out of its initial JavaScript.
 */
function loadOnce() {
  firstLoad ??= import("@/lib/labs/progress-store")
    .then(({ getProgressStore }) => getProgressStore())
    .then(async (store) => ({ store, loaded: await store.load() }));
  return firstLoad;
}

/** The learner's saved progress, kept current as any part of the page updates it. */
export function useProgress(): ProgressState {
  const [state, setState] = useState<ProgressState>({ progress: null });
  useEffect(() => {
    let unsubscribe = () => {};
    let cancelled = false;
    loadOnce()
      .then(async ({ store, loaded }) => {
        if (cancelled) return;
        const current = (await store.load()).progress;
        if (cancelled) return;
        setState({ progress: current, notice: loaded.notice });
        unsubscribe = store.subscribe((progress) =>
          setState((previous) => ({ ...previous, progress })),
        );
      })
      .catch((error: unknown) => {
        if (!cancelled) {
          setState({
            progress: null,
            error: `Progress cannot be saved in this browser (${(error as Error).message}).`,
          });
        }
      });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, []);
  return state;
}

export async function updateProgress(change: (progress: Progress) => Progress): Promise<void> {
  const { store } = await loadOnce();
  await store.update(change);
}

/**
 * A save nobody waits for (a step done, a quiz answered): when storage is refused the page
 * already says progress cannot be saved, so the failure must not also escape as an error.
 */
export function saveProgressInBackground(change: (progress: Progress) => Progress): void {
  updateProgress(change).catch(() => {});
}
