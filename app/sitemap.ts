import type { MetadataRoute } from "next";
import { getLessons } from "@/lib/content/lessons";
import { absoluteUrl } from "@/lib/site";

export const dynamic = "force-static";

export default function sitemap(): MetadataRoute.Sitemap {
  const pages = [
    "/",
    "/playground",
    "/glossary",
    "/search",
    "/workshop",
    "/workshop/handout",
    ...getLessons().map((lesson) => `/labs/${lesson.slug}`),
  ];
  return pages.map((pathname) => ({ url: absoluteUrl(pathname) }));
}
