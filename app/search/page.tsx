import type { Metadata } from "next";
import { Suspense } from "react";
import { SearchPanel } from "@/components/site/search-panel.client";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Search",
  description: "Search the lessons of the course.",
};

export default function SearchPage() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-3xl font-bold tracking-tight">Search the course</h1>
      <Suspense fallback={null}>
        <SearchPanel />
      </Suspense>
    </main>
  );
}
