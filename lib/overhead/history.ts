import { MAX_RECORDS, parseRecords, type RunRecord } from "./record";

/** Earlier benchmark runs, kept in localStorage so that they survive a reload. */

export const HISTORY_KEY = "vlabs:overhead-runs:v1";

export interface HistoryLoad {
  records: RunRecord[];
  /** Something to tell the learner (unreadable storage, dropped entries), or undefined. */
  notice?: string;
}

type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function loadHistory(store: KeyValueStore | undefined): HistoryLoad {
  if (!store)
    return {
      records: [],
      notice: "Results are kept for this visit only: this browser offers no local storage.",
    };
  let text: string | null;
  try {
    text = store.getItem(HISTORY_KEY);
  } catch {
    return { records: [], notice: "Earlier results could not be read (storage is blocked)." };
  }
  if (text === null) return { records: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { records: [], notice: "Earlier results were unreadable and were ignored." };
  }
  const { records, dropped } = parseRecords(data);
  return dropped > 0
    ? {
        records,
        notice: `${dropped} stored result${dropped === 1 ? " was" : "s were"} invalid and ignored.`,
      }
    : { records };
}

/** Appends records (keeping the newest MAX_RECORDS); returns the new list and whether it was saved. */
export function saveRecord(
  store: KeyValueStore | undefined,
  records: readonly RunRecord[],
  added: RunRecord | readonly RunRecord[],
): { records: RunRecord[]; saved: boolean } {
  const next = [...records, ...(Array.isArray(added) ? added : [added])].slice(-MAX_RECORDS);
  return { records: next, saved: write(store, next) };
}

export function clearHistory(store: KeyValueStore | undefined): boolean {
  try {
    store?.removeItem(HISTORY_KEY);
    return store !== undefined;
  } catch {
    return false;
  }
}

function write(store: KeyValueStore | undefined, records: readonly RunRecord[]): boolean {
  if (!store) return false;
  try {
    store.setItem(HISTORY_KEY, JSON.stringify(records));
    return true;
  } catch {
    return false;
  }
}

/** window.localStorage when there is one and it can be touched (privacy modes may throw). */
export function browserStore(): KeyValueStore | undefined {
  try {
    return typeof window !== "undefined" ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}
