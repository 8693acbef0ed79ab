import { DEFAULT_START, parseStartTime } from "./agenda";

/** The workshop's settings in localStorage: the agenda's start time and instructor mode. */

export const START_TIME_KEY = "vlabs:workshop-start";
export const INSTRUCTOR_MODE_KEY = "vlabs:instructor-mode";
const CHANGE_EVENT = "vlabs:workshop-settings";

type Storage = Pick<globalThis.Storage, "getItem" | "setItem" | "removeItem">;

function safeStorage(): Storage | undefined {
  try {
    return typeof window !== "undefined" ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}

/** The stored start time, or the default when none is stored or it is not a valid time. */
export function readStartTime(storage: Storage | undefined = safeStorage()): string {
  try {
    const value = storage?.getItem(START_TIME_KEY);
    return value && parseStartTime(value).ok ? value : DEFAULT_START;
  } catch {
    return DEFAULT_START;
  }
}

/** Stores a start time only when it is valid; returns whether it was stored. */
export function writeStartTime(
  value: string,
  storage: Storage | undefined = safeStorage(),
): boolean {
  if (!parseStartTime(value).ok) return false;
  try {
    storage?.setItem(START_TIME_KEY, value.trim());
  } catch {
    // Full or disabled storage: the agenda still follows the input for this visit.
  }
  notify();
  return true;
}

export function readInstructorMode(storage: Storage | undefined = safeStorage()): boolean {
  try {
    return storage?.getItem(INSTRUCTOR_MODE_KEY) === "on";
  } catch {
    return false;
  }
}

export function writeInstructorMode(
  on: boolean,
  storage: Storage | undefined = safeStorage(),
): void {
  try {
    if (on) storage?.setItem(INSTRUCTOR_MODE_KEY, "on");
    else storage?.removeItem(INSTRUCTOR_MODE_KEY);
  } catch {
    // As above: the setting lasts for this page only.
  }
  notify();
}

function notify(): void {
  if (typeof window !== "undefined") window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** For useSyncExternalStore: changes in this tab and in other tabs. */
export function subscribeSettings(callback: () => void): () => void {
  window.addEventListener(CHANGE_EVENT, callback);
  window.addEventListener("storage", callback);
  return () => {
    window.removeEventListener(CHANGE_EVENT, callback);
    window.removeEventListener("storage", callback);
  };
}
