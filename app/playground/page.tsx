import type { Metadata } from "next";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Playground",
  description: "A free sandbox to create and run virtual machines outside the lessons.",
};

export default function PlaygroundPage() {
  return (
    <main className="mx-auto max-w-4xl px-4 py-12">
      <h1 className="text-3xl font-bold tracking-tight">Playground</h1>
      <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">
        A free sandbox where you create virtual machines, choose their memory, disks and network,
        and run several at once, without a lesson guiding you.
      </p>
      <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-6 text-slate-700 dark:border-slate-700 dark:text-slate-300">
        Coming soon: the virtual machine runtime is being built. Until then, the lessons describe
        each machine you will run here.
      </p>
    </main>
  );
}
