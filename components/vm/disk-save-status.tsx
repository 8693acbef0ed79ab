"use client";

import { useEffect, useState } from "react";
import type { MachinePersistence } from "@/lib/storage/machine-persistence";

/** What a learner may count on after a closed tab or a crash, in a sentence for the panels. */
export const DURABILITY_PROMISE =
  "A disk is saved within 2 seconds of a write (at once when the guest syncs), as one moment of " +
  "the disk: after a closed tab or a crash it comes back as it was at most a few seconds before, " +
  "never half-written.";

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}

/**
 * "Disk saved 3 s ago", "Saving the disk…" or "Unsaved disk changes"; `now` is the page's
 * performance.now() clock, which the playground already ticks once a second.
 */
export function DiskSaveStatus({
  persistence,
  vmId,
  now,
}: {
  persistence: MachinePersistence;
  vmId: string;
  now: number;
}) {
  const [status, setStatus] = useState(() => persistence.diskStatus(vmId));
  useEffect(
    () =>
      persistence.events.on("status", (id) => {
        if (id === vmId) setStatus(persistence.diskStatus(vmId));
      }),
    [persistence, vmId],
  );
  const text =
    status.state === "saving"
      ? "Saving the disk…"
      : status.state === "unsaved"
        ? "Unsaved disk changes"
        : status.savedAt !== undefined
          ? `Disk saved ${ago(now - status.savedAt)}`
          : "Disk stored in this browser";
  return (
    <p
      className="text-sm text-slate-600 dark:text-slate-400"
      data-disk-save={status.state}
      data-saved-at={status.savedAt}
    >
      {text}
    </p>
  );
}
