/**
 * Instructor mode in localStorage, and the change signal shared with the other workshop settings.
 * Apart from settings.ts so that lesson pages (instructor notes) load it without the agenda.
 */

export const INSTRUCTOR_MODE_KEY = "vlabs:instructor-mode";
const CHANGE_EVENT = "vlabs:workshop-settings";

export type SettingsStorage = Pick<globalThis.Storage, "getItem" | "setItem" | "removeItem">;

export function browserStorage(): SettingsStorage | undefined {
  try {
    return typeof window !== "undefined" ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}

export function readInstructorMode(
  storage: SettingsStorage | undefined = browserStorage(),
): boolean {
  try {
    return storage?.getItem(INSTRUCTOR_MODE_KEY) === "on";
  } catch {
    return false;
  }
}

export function writeInstructorMode(
  on: boolean,
  storage: SettingsStorage | undefined = browserStorage(),
): void {
  try {
    if (on) storage?.setItem(INSTRUCTOR_MODE_KEY, "on");
    else storage?.removeItem(INSTRUCTOR_MODE_KEY);
  } catch {
    // Full or disabled storage: the setting lasts for this page only.
  }
  notifySettingsChanged();
}

export function notifySettingsChanged(): void {
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
