"use client";

import { useEffect } from "react";
import { pageStorage, writeLastVisited } from "@/lib/labs/last-visited";

export function RememberLesson({ slug }: { slug: string }) {
  useEffect(() => writeLastVisited(pageStorage(), slug), [slug]);
  return null;
}
