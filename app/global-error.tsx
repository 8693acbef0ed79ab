"use client";

import "./globals.css";

/** The last resort, when even the site's frame failed: a plain page that says so and offers a reload. */
export default function GlobalError({ error }: { error: unknown }) {
  return (
    <html lang="en">
      <body className="mx-auto max-w-2xl px-4 py-24 text-center">
        <title>Virtualization Labs: something went wrong</title>
        <h1 className="text-3xl font-bold tracking-tight">The site stopped working</h1>
        <p role="alert" className="mt-4">
          {error instanceof Error ? error.message : String(error)}
        </p>
        <p className="mt-2">Your progress is stored in this browser and is not lost.</p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="mt-8 rounded-lg bg-brand-600 px-5 py-3 font-semibold text-white"
        >
          Reload the page
        </button>
      </body>
    </html>
  );
}
