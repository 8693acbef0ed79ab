"use client";

/** A page that failed while it ran: the header and footer stay, and the learner can try again. */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="mx-auto max-w-2xl px-4 py-24 text-center">
      <h1 className="text-3xl font-bold tracking-tight">This page stopped working</h1>
      <p role="alert" className="mt-4 text-slate-700 dark:text-slate-300">
        {error instanceof Error ? error.message : String(error)}
      </p>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        Your progress is stored in this browser and is not lost.
      </p>
      <button
        type="button"
        onClick={retry}
        className="mt-8 rounded-lg bg-brand-600 px-5 py-3 font-semibold text-white hover:bg-brand-700"
      >
        Try again
      </button>
    </main>
  );
}
