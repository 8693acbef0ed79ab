import { DEFAULT_START, parseStartTime } from "./agenda";
import { browserStorage, notifySettingsChanged } from "./instructor-mode";
import type { SettingsStorage } from "./instructor-mode";

/** The workshop's settings in localStorage: the agenda's start time and instructor mode. */

export {
  INSTRUCTOR_MODE_KEY,
  readInstructorMode,
  subscribeSettings,
  writeInstructorMode,
} from "./instructor-mode";

export const START_TIME_KEY = "vlabs:workshop-start";

/** The stored start time, or the default when none is stored or it is not a valid time. */
export function readStartTime(storage: SettingsStorage | undefined = browserStorage()): string {
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
  storage: SettingsStorage | undefined = browserStorage(),
): boolean {
  if (!parseStartTime(value).ok) return false;
  try {
    storage?.setItem(START_TIME_KEY, value.trim());
  } catch {
    // Full or disabled storage: the agenda still follows the input for this visit.
  }
  notifySettingsChanged();
  return true;
}
