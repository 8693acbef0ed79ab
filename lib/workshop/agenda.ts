/** Workshop timing: a start time of day and the lessons' minutes make the agenda. */

export const DEFAULT_START = "09:00";
/** A break goes in once this many minutes have run since the last one (never after the last lesson). */
export const BREAK_AFTER_MINUTES = 90;
export const BREAK_MINUTES = 15;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export type StartTimeResult = { ok: true; minutes: number } | { ok: false; error: string };

/** "HH:MM" (24-hour, as a time input gives it) to minutes after midnight. */
export function parseStartTime(value: string): StartTimeResult {
  const trimmed = value.trim();
  if (trimmed === "") return { ok: false, error: "Enter a start time, for example 09:00." };
  const match = TIME.exec(trimmed);
  if (!match) {
    return { ok: false, error: `"${trimmed}" is not a time of day: use HH:MM, for example 13:30.` };
  }
  return { ok: true, minutes: Number(match[1]) * 60 + Number(match[2]) };
}

/** Minutes after midnight to "HH:MM"; past midnight wraps round to the next day. */
export function formatClock(minutes: number): string {
  const wrapped = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(wrapped / 60)).padStart(2, "0")}:${String(wrapped % 60).padStart(2, "0")}`;
}

export interface AgendaLesson {
  slug: string;
  title: string;
  minutes: number;
}

export type AgendaItem =
  | { kind: "lesson"; lesson: AgendaLesson; start: number; end: number }
  | { kind: "break"; start: number; end: number };

export interface AgendaOptions {
  breakAfterMinutes?: number;
  breakMinutes?: number;
}

export function buildAgenda(
  lessons: AgendaLesson[],
  startMinutes: number,
  options: AgendaOptions = {},
): AgendaItem[] {
  const breakAfter = options.breakAfterMinutes ?? BREAK_AFTER_MINUTES;
  const breakLength = options.breakMinutes ?? BREAK_MINUTES;
  const items: AgendaItem[] = [];
  let clock = startMinutes;
  let sinceBreak = 0;
  lessons.forEach((lesson, index) => {
    items.push({ kind: "lesson", lesson, start: clock, end: clock + lesson.minutes });
    clock += lesson.minutes;
    sinceBreak += lesson.minutes;
    const isLast = index === lessons.length - 1;
    if (!isLast && breakLength > 0 && sinceBreak >= breakAfter) {
      items.push({ kind: "break", start: clock, end: clock + breakLength });
      clock += breakLength;
      sinceBreak = 0;
    }
  });
  return items;
}

export function agendaEnd(items: AgendaItem[], startMinutes: number): number {
  return items.length > 0 ? items[items.length - 1]!.end : startMinutes;
}

/** "1:05:09" or "5:09": a duration in seconds, as a clock shows it. */
export function formatDuration(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? "-" : "";
  const seconds = Math.abs(Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${sign}${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}
