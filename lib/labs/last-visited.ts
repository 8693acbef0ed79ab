const STORAGE_KEY = "vlabs:last-lesson";
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The slug of the lesson the learner last opened, if it is still a lesson of the course. */
export function readLastVisited(
  storage: Pick<Storage, "getItem"> | undefined,
  known: string[],
): string | null {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return value && SLUG.test(value) && known.includes(value) ? value : null;
  } catch {
    return null;
  }
}

export function writeLastVisited(
  storage: Pick<Storage, "setItem"> | undefined,
  slug: string,
): void {
  try {
    storage?.setItem(STORAGE_KEY, slug);
  } catch {
    // Storage can be full or disabled (private mode); remembering the place is a nicety.
  }
}

/** window.localStorage, or undefined where merely touching it throws (site data blocked). */
export function pageStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
