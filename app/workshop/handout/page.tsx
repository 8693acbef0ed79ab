import type { Metadata } from "next";
import { PrintButton } from "@/components/workshop/print-button.client";
import { TextBlocks } from "@/components/workshop/text-blocks";
import { getLessons } from "@/lib/content/lessons";
import { SITE_NAME } from "@/lib/site";
import { getWorkshopLessons } from "@/lib/workshop/outline";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Workshop handout",
  description: "Every lesson's objectives and lab steps on paper, for a workshop.",
};

/* Paper gets no site chrome, black on white whatever the screen's theme, and no split steps. */
const PRINT_CSS = `
@media print {
  @page { margin: 16mm 14mm; }
  :root { color-scheme: light; }
  body { background: #fff !important; color: #000 !important; }
  body > header, body > footer, body > a[href="#main"] { display: none !important; }
  .handout-lesson { break-before: page; }
  .handout-lesson:first-of-type { break-before: auto; }
  .handout-step, .handout-lesson h2, .handout-lesson h3 { break-inside: avoid; break-after: avoid-page; }
}
`;

export default function HandoutPage() {
  const lessons = getWorkshopLessons(getLessons());
  const totalMinutes = lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);
  return (
    <main className="mx-auto max-w-3xl px-4 py-10 print:max-w-none print:p-0 print:text-black">
      <style>{PRINT_CSS}</style>
      {/* Not a <header>: the site's print styles hide every header. */}
      <div className="border-b border-slate-300 pb-6 print:border-black">
        <p className="text-sm font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300 print:text-black">
          {SITE_NAME} · workshop handout
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">The course on paper</h1>
        <p className="mt-3 text-slate-700 dark:text-slate-300 print:text-black">
          {lessons.length} lessons, about {Math.round(totalMinutes / 6) / 10} hours. Every lab runs
          in your browser: open the lesson, press Start on a machine, and follow the steps below.
        </p>
        <div className="mt-4">
          <PrintButton />
        </div>
      </div>
      {lessons.map((lesson) => (
        <section
          key={lesson.slug}
          aria-labelledby={`handout-${lesson.slug}`}
          className="handout-lesson mt-10"
        >
          <h2 id={`handout-${lesson.slug}`} className="text-2xl font-semibold">
            {lesson.order}. {lesson.title}{" "}
            <span className="text-base font-normal text-slate-700 dark:text-slate-300 print:text-black">
              ({lesson.minutes} min)
            </span>
          </h2>
          <p className="mt-2 text-slate-700 dark:text-slate-300 print:text-black">
            {lesson.summary}
          </p>
          <h3 className="mt-4 font-semibold">Objectives</h3>
          <ul className="mt-1 list-disc space-y-1 pl-6">
            {lesson.objectives.map((objective) => (
              <li key={objective}>{objective}</li>
            ))}
          </ul>
          {lesson.labs.map((lab) => (
            <div key={lab.id} className="mt-5">
              <h3 className="font-semibold">Lab: {lab.title}</h3>
              <ol className="mt-2 list-decimal space-y-3 pl-6">
                {lab.steps.map((step) => (
                  <li key={step.id} className="handout-step">
                    <p className="font-semibold">
                      <span
                        aria-hidden="true"
                        className="mr-2 inline-block h-4 w-4 border border-current align-[-2px]"
                      />
                      {step.title}
                    </p>
                    <TextBlocks blocks={step.blocks} className="mt-1 text-sm leading-6" />
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </section>
      ))}
    </main>
  );
}
