"use client";

import { useSyncExternalStore } from "react";
import { DEFAULT_START } from "@/lib/workshop/agenda";
import { readInstructorMode, readStartTime, subscribeSettings } from "@/lib/workshop/settings";

/** Instructor mode as stored; off while rendering on the server and before hydration. */
export function useInstructorMode(): boolean {
  return useSyncExternalStore(
    subscribeSettings,
    () => readInstructorMode(),
    () => false,
  );
}

/** The stored workshop start time ("HH:MM"); the default on the server. */
export function useStoredStartTime(): string {
  return useSyncExternalStore(
    subscribeSettings,
    () => readStartTime(),
    () => DEFAULT_START,
  );
}
