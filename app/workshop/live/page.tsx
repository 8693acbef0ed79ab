import type { Metadata } from "next";
import { LiveClass } from "@/components/workshop/live-class.client";
import { getLessons } from "@/lib/content/lessons";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Live class",
  description: "Run a live class: a join code for the learners, and who is on which step, live.",
};

export default function LiveClassPage() {
  const lessons = getLessons().map(({ slug, title }) => ({ slug, title }));
  return (
    <main className="mx-auto max-w-7xl px-4 py-12">
      <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">Live class</h1>
      <p className="mt-4 max-w-3xl text-lg text-slate-700 dark:text-slate-300">
        Learners join with a code; you see who is on which step, who asked for help and whose
        machine crashed, as it happens. Their virtual machines still run in their own browsers: only
        small progress events come to this site&apos;s server.
      </p>
      <div className="mt-8">
        <LiveClass lessons={lessons} />
      </div>
    </main>
  );
}
