import type { Metadata } from "next";
import { CloudConsoleLoader } from "@/components/cloud/cloud-loader.client";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Cloud console",
  description:
    "Launch, stop and terminate instances that are real virtual machines in this page, with images, security groups and user data.",
};

export default function CloudPage() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-12">
      <h1 className="text-3xl font-bold tracking-tight">Cloud console</h1>
      <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">
        A small cloud that runs entirely in this page: every instance you launch is a Linux virtual
        machine in your browser, on a private network with security groups enforced by the
        page&apos;s virtual switch. Nothing leaves your computer and nothing is billed: the costs
        shown are illustrative.
      </p>
      <div className="mt-8">
        <CloudConsoleLoader />
      </div>
    </main>
  );
}
