"use client";

import { useEffect } from "react";
import { writeLastVisited } from "@/lib/labs/last-visited";

export function RememberLesson({ slug }: { slug: string }) {
  useEffect(() => writeLastVisited(window.localStorage, slug), [slug]);
  return null;
}
