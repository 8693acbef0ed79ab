import type { Metadata } from "next";
import Link from "next/link";
import { WorkshopAgenda } from "@/components/workshop/agenda.client";
import { InstructorModeToggle, ResetLabs } from "@/components/workshop/instructor-controls.client";
import { JoinClass } from "@/components/workshop/join-class.client";
import { getLessons } from "@/lib/content/lessons";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Workshop",
  description: "Run the course as an instructor-led workshop: agenda, presenter view and handout.",
};

const LINK =
  "inline-flex items-center gap-2 rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700";

export default function WorkshopPage() {
  const lessons = getLessons().map(({ slug, title, minutes }) => ({ slug, title, minutes }));
  return (
    <main className="mx-auto max-w-4xl px-4 py-12">
      <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">Run it as a workshop</h1>
      <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">
        The whole course in one day, led from the front: set the start time for the agenda, put the
        presenter view on the projector, and hand out the printed steps. Learners follow along on
        their own computers; the virtual machines run in each browser, so a weak network is fine
        once the site has been opened.
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        <Link href="/workshop/present" className={LINK}>
          Open the presenter view <span aria-hidden="true">→</span>
        </Link>
        <Link
          href="/workshop/handout"
          className="inline-flex items-center rounded-lg border border-slate-300 px-4 py-2 font-semibold hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-900"
        >
          Printable handout
        </Link>
      </div>

      <section
        id="class"
        aria-labelledby="class-heading"
        className="mt-12 scroll-mt-20 rounded-2xl border border-slate-300 p-4 sm:p-6 dark:border-slate-700"
      >
        <h2 id="class-heading" className="text-2xl font-semibold">
          Join a class
        </h2>
        <p className="mt-2 mb-4 text-sm text-slate-700 dark:text-slate-300">
          In a live workshop, type the code on the projector and the name your instructor should
          see: no e-mail, no account. While you are joined, your labs tell the class server which
          step you are on, which steps you finished, failed checks, hints and solutions you asked
          for, crashed machines and quizzes answered. The server keeps your name and these events
          until the instructor deletes the class, at most 30 days (the server&apos;s setting).
          Leaving stops sending; what was sent stays with the class.
        </p>
        <JoinClass />
      </section>

      <section aria-labelledby="agenda-heading" className="mt-12">
        <h2 id="agenda-heading" className="text-2xl font-semibold">
          Agenda
        </h2>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
          Each lesson takes the minutes it is planned for; a 15-minute break comes after about 90
          minutes of lessons.
        </p>
        <div className="mt-4">
          <WorkshopAgenda lessons={lessons} />
        </div>
      </section>

      <section aria-labelledby="instructor-heading" className="mt-12 space-y-8">
        <h2 id="instructor-heading" className="text-2xl font-semibold">
          For the instructor
        </h2>
        <p>
          <Link
            href="/workshop/live"
            className="font-semibold text-brand-700 underline dark:text-brand-300"
          >
            Run a live class
          </Link>
          : a join code for the projector, and who is on which step, stuck or done, as it happens.
        </p>
        <InstructorModeToggle />
        <div>
          <h3 className="text-lg font-semibold">Classroom computers</h3>
          <p className="mt-1 mb-3 text-sm text-slate-700 dark:text-slate-300">
            Between two groups, reset the labs so the next learner starts fresh. Virtual machines
            live only in their page and are gone once it is closed or reloaded.
          </p>
          <ResetLabs />
        </div>
      </section>
    </main>
  );
}
