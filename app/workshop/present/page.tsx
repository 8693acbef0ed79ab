import type { Metadata } from "next";
import { Presenter } from "@/components/workshop/presenter.client";
import { getLessons } from "@/lib/content/lessons";
import { getWorkshopLessons } from "@/lib/workshop/outline";

export const dynamic = "force-static";

export const metadata: Metadata = {
  title: "Presenter view",
  description: "The course's lessons and lab steps, one at a time, for the projector.",
};

export default function PresenterPage() {
  return (
    <main>
      <Presenter lessons={getWorkshopLessons(getLessons())} />
    </main>
  );
}
