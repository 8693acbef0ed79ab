import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-2xl px-4 py-24 text-center">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-300">404</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">This page does not exist</h1>
      <p className="mt-4 text-slate-700 dark:text-slate-300">
        The address may be mistyped, or the lesson may have moved. The course outline lists every
        lesson.
      </p>
      <Link
        href="/"
        className="mt-8 inline-block rounded-lg bg-brand-600 px-5 py-3 font-semibold text-white hover:bg-brand-700"
      >
        Back to the course
      </Link>
    </main>
  );
}
