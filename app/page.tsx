import { CourseOutline } from "@/components/site/course-outline";
import { ProgressFileLoader } from "@/components/site/progress-file-loader.client";
import { StartButton } from "@/components/site/start-button.client";
import { getLessons } from "@/lib/content/lessons";

export const dynamic = "force-static";

export default function HomePage() {
  const lessons = getLessons();
  const totalMinutes = lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);
  return (
    <main className="mx-auto max-w-7xl px-4 py-12">
      <section className="max-w-3xl">
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
          Learn virtualization by running virtual machines
        </h1>
        <p className="mt-5 text-lg text-slate-700 dark:text-slate-300">
          Every lesson puts real x86 computers in this page. You create them, install an operating
          system, run several side by side, break one, and measure what it all costs. The machines
          run in your browser: nothing to install, no account, no server.
        </p>
        <div className="mt-8 flex flex-wrap items-center gap-4">
          <StartButton lessons={lessons.map(({ slug, title }) => ({ slug, title }))} />
          <span className="text-sm text-slate-600 dark:text-slate-400">
            {lessons.length} lessons · about {Math.round(totalMinutes / 6) / 10} hours
          </span>
        </div>
      </section>
      <section className="mt-14" aria-labelledby="outline-heading">
        <h2 id="outline-heading" className="mb-6 text-2xl font-semibold">
          Course outline
        </h2>
        <CourseOutline lessons={lessons} />
      </section>
      <div className="mt-14 max-w-3xl">
        <ProgressFileLoader />
      </div>
    </main>
  );
}
