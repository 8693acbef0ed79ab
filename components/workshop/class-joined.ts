"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether this browser is in a class, as a flag in localStorage beside the membership in
 * IndexedDB: every page's header reads it, so the class code (IndexedDB, the API client, the
 * outbox) loads only in a browser that joined one.
 */
const JOINED_KEY = "vlabs-class-joined";
/** Said on the window when this tab joins or leaves a class, so every part of the page follows. */
export const MEMBERSHIP_CHANGED = "vlabs:class-membership";

export function markJoined(joined: boolean): void {
  try {
    if (joined) localStorage.setItem(JOINED_KEY, "1");
    else localStorage.removeItem(JOINED_KEY);
  } catch {
    // Site data blocked: touching localStorage throws, and no class can be kept anyway.
  }
  window.dispatchEvent(new Event(MEMBERSHIP_CHANGED));
}

/** The flag, or false where touching localStorage throws (site data blocked). */
function joinedFlag(): boolean {
  try {
    return localStorage.getItem(JOINED_KEY) === "1";
  } catch {
    return false;
  }
}

function subscribe(listener: () => void): () => void {
  window.addEventListener(MEMBERSHIP_CHANGED, listener);
  window.addEventListener("storage", listener);
  return () => {
    window.removeEventListener(MEMBERSHIP_CHANGED, listener);
    window.removeEventListener("storage", listener);
  };
}

/** False on the server and before hydration. */
export function useJoinedFlag(): boolean {
  return useSyncExternalStore(subscribe, joinedFlag, () => false);
}
