"use client";

import { useSyncExternalStore } from "react";
import { readInstructorMode, subscribeSettings } from "@/lib/workshop/instructor-mode";

/** Instructor mode as stored; off while rendering on the server and before hydration. */
export function useInstructorMode(): boolean {
  return useSyncExternalStore(
    subscribeSettings,
    () => readInstructorMode(),
    () => false,
  );
}
