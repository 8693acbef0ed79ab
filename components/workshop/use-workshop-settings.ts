"use client";

import { useSyncExternalStore } from "react";
import { DEFAULT_START } from "@/lib/workshop/agenda";
import { readStartTime, subscribeSettings } from "@/lib/workshop/settings";

export { useInstructorMode } from "./use-instructor-mode";

/** The stored workshop start time ("HH:MM"); the default on the server. */
export function useStoredStartTime(): string {
  return useSyncExternalStore(
    subscribeSettings,
    () => readStartTime(),
    () => DEFAULT_START,
  );
}
