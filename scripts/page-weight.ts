/**
 * Reports each route's initial JavaScript: the scripts its HTML loads before any interaction,
 * gzip-compressed as a server would send them. The emulator is loaded on demand and never counted.
 */
import { gzipSync } from "node:zlib";
import { getLessons } from "../lib/content/lessons";
import { startProductionServer } from "./lib/server";

export const LESSON_PAGE_BUDGET_KB = 150;

export interface PageWeight {
  route: string;
  scripts: number;
  gzipBytes: number;
}

export async function measurePageWeight(baseUrl: string, route: string): Promise<PageWeight> {
  const html = await (await fetch(new URL(route, baseUrl))).text();
  // Modern browsers skip `nomodule` scripts (legacy polyfills), so they are not part of the weight.
  const sources = [...html.matchAll(/<script([^>]*)\ssrc="([^"]+)"([^>]*)>/g)]
    .filter((match) => !/\snomodule/i.test(`${match[1]} ${match[3]}`))
    .map((match) => match[2]!);
  const unique = [...new Set(sources)];
  let gzipBytes = 0;
  for (const src of unique) {
    const body = Buffer.from(await (await fetch(new URL(src, baseUrl))).arrayBuffer());
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { route, scripts: unique.length, gzipBytes };
}

export function siteRoutes(): string[] {
  return ["/", "/playground", ...getLessons().map((lesson) => `/labs/${lesson.slug}`)];
}

async function main(): Promise<void> {
  const server = await startProductionServer(Number(process.env.PORT ?? 3199));
  try {
    const weights = [];
    for (const route of siteRoutes()) weights.push(await measurePageWeight(server.url, route));
    console.log("| route | scripts | initial JS (gzip) |\n| --- | ---: | ---: |");
    for (const weight of weights) {
      console.log(
        `| ${weight.route} | ${weight.scripts} | ${(weight.gzipBytes / 1024).toFixed(1)} KB |`,
      );
    }
    const over = weights.filter(
      (weight) =>
        weight.route.startsWith("/labs/") && weight.gzipBytes / 1024 > LESSON_PAGE_BUDGET_KB,
    );
    if (over.length > 0) {
      console.error(
        `Over the ${LESSON_PAGE_BUDGET_KB} KB lesson budget: ${over.map((w) => w.route).join(", ")}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
