"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { agendaEnd, buildAgenda, formatClock, parseStartTime } from "@/lib/workshop/agenda";
import type { AgendaLesson } from "@/lib/workshop/agenda";
import { writeStartTime } from "@/lib/workshop/settings";
import { useStoredStartTime } from "./use-workshop-settings";

function range(start: number, end: number): string {
  return `${formatClock(start)}–${formatClock(end)}`;
}

/** The day's plan: a start time the instructor sets (remembered here), then every lesson in order. */
export function WorkshopAgenda({ lessons }: { lessons: AgendaLesson[] }) {
  const stored = useStoredStartTime();
  const [draft, setDraft] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();
  const value = draft ?? stored;
  const checked = parseStartTime(value);
  const start = parseStartTime(stored);
  const startMinutes = start.ok ? start.minutes : 540;
  const agenda = buildAgenda(lessons, startMinutes);
  const breakMinutes = agenda.reduce(
    (sum, item) => sum + (item.kind === "break" ? item.end - item.start : 0),
    0,
  );

  return (
    <div>
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor={inputId} className="block text-sm font-semibold">
            Start time
          </label>
          <input
            id={inputId}
            type="time"
            value={value}
            onChange={(event) => {
              setDraft(event.target.value);
              writeStartTime(event.target.value);
            }}
            aria-invalid={!checked.ok}
            aria-describedby={checked.ok ? undefined : errorId}
            className="mt-1 rounded-md border border-slate-400 bg-white px-3 py-2 text-lg tabular-nums dark:border-slate-600 dark:bg-slate-900"
          />
        </div>
        <p className="pb-2 text-sm text-slate-700 dark:text-slate-300" data-agenda-end>
          Ends at{" "}
          <strong className="tabular-nums">{formatClock(agendaEnd(agenda, startMinutes))}</strong> ·{" "}
          {lessons.length} lessons
          {breakMinutes > 0 ? `, ${breakMinutes} min of breaks` : ""}
        </p>
      </div>
      {checked.ok ? null : (
        <p
          id={errorId}
          role="alert"
          className="mt-2 text-sm font-medium text-red-700 dark:text-red-400"
        >
          {checked.error} The agenda keeps the last valid time ({stored}).
        </p>
      )}
      <table className="mt-6 w-full border-collapse text-left">
        <caption className="sr-only">Agenda, starting at {stored}</caption>
        <thead>
          <tr className="border-b border-slate-300 text-sm dark:border-slate-700">
            <th scope="col" className="py-2 pr-4 font-semibold">
              Time
            </th>
            <th scope="col" className="py-2 pr-4 font-semibold">
              Session
            </th>
            <th scope="col" className="py-2 text-right font-semibold">
              Length
            </th>
          </tr>
        </thead>
        <tbody>
          {agenda.map((item) =>
            item.kind === "lesson" ? (
              <tr
                key={item.lesson.slug}
                data-agenda-item={item.lesson.slug}
                className="border-b border-slate-200 dark:border-slate-800"
              >
                <td className="py-3 pr-4 tabular-nums whitespace-nowrap" data-agenda-time>
                  {range(item.start, item.end)}
                </td>
                <td className="py-3 pr-4">
                  <Link
                    href={`/labs/${item.lesson.slug}`}
                    className="font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
                  >
                    {item.lesson.title}
                  </Link>
                </td>
                <td className="py-3 text-right tabular-nums whitespace-nowrap">
                  {item.lesson.minutes} min
                </td>
              </tr>
            ) : (
              <tr
                key={`break-${item.start}`}
                data-agenda-item="break"
                className="border-b border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300"
              >
                <td className="py-2 pr-4 tabular-nums whitespace-nowrap" data-agenda-time>
                  {range(item.start, item.end)}
                </td>
                <td className="py-2 pr-4 italic">Break</td>
                <td className="py-2 text-right tabular-nums">{item.end - item.start} min</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
