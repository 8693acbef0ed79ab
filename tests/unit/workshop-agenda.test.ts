import { describe, expect, it } from "vitest";
import {
  agendaEnd,
  buildAgenda,
  formatClock,
  formatDuration,
  parseStartTime,
} from "@/lib/workshop/agenda";
import { readStartTime, writeStartTime } from "@/lib/workshop/settings";
import { clampSlide, paceOf } from "@/lib/workshop/slides";

const lessons = [20, 25, 25, 35, 30].map((minutes, i) => ({
  slug: `l${i}`,
  title: `Lesson ${i}`,
  minutes,
}));

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

describe("workshop agenda", () => {
  it("parses 24-hour start times and explains bad ones", () => {
    expect(parseStartTime("09:00")).toEqual({ ok: true, minutes: 540 });
    expect(parseStartTime("23:59")).toEqual({ ok: true, minutes: 1439 });
    expect(parseStartTime("")).toMatchObject({ ok: false, error: /Enter a start time/ });
    for (const bad of ["24:00", "9:00", "12:60", "noon", "12:00:00"]) {
      expect(parseStartTime(bad)).toMatchObject({ ok: false, error: /HH:MM/ });
    }
  });

  it("lays lessons end to end from the start time, with a break after 90 minutes", () => {
    const agenda = buildAgenda(lessons, 13 * 60 + 30);
    expect(
      agenda.map(
        (item) =>
          `${item.kind === "lesson" ? item.lesson.slug : "break"} ${formatClock(item.start)}-${formatClock(item.end)}`,
      ),
    ).toEqual([
      "l0 13:30-13:50",
      "l1 13:50-14:15",
      "l2 14:15-14:40",
      "l3 14:40-15:15",
      "break 15:15-15:30",
      "l4 15:30-16:00",
    ]);
    expect(formatClock(agendaEnd(agenda, 0))).toBe("16:00");
  });

  it("moves every time by the same amount when the start moves, and wraps past midnight", () => {
    const early = buildAgenda(lessons, 8 * 60);
    const late = buildAgenda(lessons, 23 * 60);
    early.forEach((item, i) => expect(late[i]!.start - item.start).toBe(15 * 60));
    expect(formatClock(late[1]!.start)).toBe("23:20");
    expect(formatClock(late.at(-1)!.end)).toBe("01:30");
  });

  it("never ends on a break, and can leave breaks out", () => {
    expect(buildAgenda(lessons.slice(0, 4), 0).at(-1)!.kind).toBe("lesson");
    expect(buildAgenda(lessons, 0, { breakMinutes: 0 }).every((i) => i.kind === "lesson")).toBe(
      true,
    );
  });

  it("keeps only valid start times in storage", () => {
    const storage = memoryStorage({ "vlabs:workshop-start": "garbage" });
    expect(readStartTime(storage)).toBe("09:00");
    expect(writeStartTime("25:00", storage)).toBe(false);
    expect(readStartTime(storage)).toBe("09:00");
    expect(writeStartTime("14:05", storage)).toBe(true);
    expect(readStartTime(storage)).toBe("14:05");
  });

  it("formats durations and pace for the presenter timer", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(65)).toBe("1:05");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(paceOf(30 * 60, { start: 20, end: 45 })).toEqual({ kind: "on-time" });
    expect(paceOf(50 * 60, { start: 20, end: 45 })).toEqual({ kind: "behind", minutes: 5 });
    expect(paceOf(10 * 60, { start: 20, end: 45 })).toEqual({ kind: "ahead", minutes: 10 });
    expect(clampSlide(99, 10)).toBe(9);
    expect(clampSlide(-3, 10)).toBe(0);
    expect(clampSlide(Number.NaN, 10)).toBe(0);
  });
});
