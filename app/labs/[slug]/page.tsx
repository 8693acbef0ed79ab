import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LessonContext } from "@/components/labs/lesson-context.client";
import { labsWithDefinitions } from "@/components/mdx/lab";
import { LessonProgress } from "@/components/labs/lesson-progress.client";
import { LessonNav } from "@/components/site/lesson-nav";
import { LessonSidebar } from "@/components/site/lesson-sidebar";
import { RememberLesson } from "@/components/site/remember-lesson.client";
import { TableOfContents } from "@/components/site/table-of-contents";
import { getLesson, getLessons, getNeighbours } from "@/lib/content/lessons";
import { requirementsOf } from "@/lib/content/requirements";

export const dynamic = "force-static";
export const dynamicParams = false;

interface LessonPageProps {
  params: Promise<{ slug: string }>;
}

export function generateStaticParams() {
  return getLessons().map((lesson) => ({ slug: lesson.slug }));
}

export async function generateMetadata({ params }: LessonPageProps): Promise<Metadata> {
  const lesson = getLesson((await params).slug);
  if (!lesson) return {};
  return {
    title: lesson.title,
    description: lesson.summary,
    openGraph: { title: lesson.title, description: lesson.summary, type: "article" },
  };
}

export default async function LessonPage({ params }: LessonPageProps) {
  const { slug } = await params;
  const lesson = getLesson(slug);
  if (!lesson) notFound();
  const { default: LessonBody } = await import(`@/content/labs/${lesson.fileStem}.mdx`);
  const { previous, next } = getNeighbours(slug);

  return (
    <div className="mx-auto grid max-w-7xl gap-8 px-4 py-8 lg:grid-cols-[15rem_minmax(0,1fr)] xl:grid-cols-[15rem_minmax(0,1fr)_13rem]">
      <LessonSidebar lessons={getLessons()} currentSlug={slug} />
      <main className="min-w-0">
        <article>
          <header className="mb-8 border-b border-slate-200 pb-6 dark:border-slate-800">
            <p className="text-sm font-medium text-brand-700 dark:text-brand-300">
              Lesson {lesson.order} · {lesson.minutes} min
            </p>
            <h1 className="mt-2 text-3xl font-bold tracking-tight sm:text-4xl">{lesson.title}</h1>
            <p className="mt-3 text-lg text-slate-700 dark:text-slate-300">{lesson.summary}</p>
            <section aria-labelledby="objectives-heading" className="mt-5">
              <h2
                id="objectives-heading"
                className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400"
              >
                Objectives
              </h2>
              <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700 dark:text-slate-300">
                {lesson.objectives.map((objective) => (
                  <li key={objective}>{objective}</li>
                ))}
              </ul>
            </section>
            <LessonProgress requirements={requirementsOf(lesson)} />
          </header>
          <div className="lesson-prose">
            <LessonContext slug={slug}>
              <LessonBody components={{ Lab: labsWithDefinitions(lesson.labs) }} />
            </LessonContext>
          </div>
        </article>
        <LessonNav previous={previous} next={next} />
      </main>
      <TableOfContents headings={lesson.headings} />
      <RememberLesson slug={slug} />
    </div>
  );
}
