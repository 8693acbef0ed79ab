import type { Metadata } from "next";
import { PlaygroundLoader } from "@/components/vm/playground-loader.client";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Playground",
  description: "A free sandbox to create and run virtual machines outside the lessons.",
};

export default function PlaygroundPage() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-12">
      <h1 className="text-3xl font-bold tracking-tight">Playground</h1>
      <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">
        A free sandbox where you create virtual machines, choose their memory, disks and network,
        and run several at once, without a lesson guiding you. Each VM runs in its own thread; the
        emulator and the guest images download when you first start one.
      </p>
      <div className="mt-8">
        <PlaygroundLoader />
      </div>
    </main>
  );
}
