/**
 * Dead links in the project's own words (scripts/check-links.ts): a relative link must reach a
 * file of the repository, a site path (`/labs/<slug>`, `/playground`, ...) a route of the site.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export function files(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(ext))
    .map((name) => path.join(dir, name));
}

/** Routes of the site: every app/ folder holding a page, with [slug] filled from the lessons. */
export function siteRoutes(): Set<string> {
  const routes = new Set<string>();
  const slugs = files("content/labs", ".mdx").map((f) =>
    path.basename(f, ".mdx").replace(/^\d+-/, ""),
  );
  const walk = (dir: string, route: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name.startsWith("(") || name.startsWith("_") || name === "api") continue;
        if (name === "[slug]") for (const s of slugs) walk(full, `${route}/${s}`);
        else walk(full, `${route}/${name}`);
      } else if (/^(page|route)\.(tsx?|jsx?)$/.test(name)) routes.add(route || "/");
    }
  };
  walk("app", "");
  return routes;
}

const LINK = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\bhref="([^"]+)"/g;

export function deadLinks(
  file: string,
  text: string,
  routes: Set<string>,
): { line: number; link: string; why: string }[] {
  const dead: { line: number; link: string; why: string }[] = [];
  text.split("\n").forEach((lineText, i) => {
    for (const match of lineText.matchAll(LINK)) {
      const link = match[1] ?? match[2]!;
      if (/^(https?:|mailto:|#|data:)/.test(link)) continue;
      const target = link.split("#")[0]!.split("?")[0]!;
      if (!target) continue;
      if (target.startsWith("/")) {
        const route = target.replace(/\/$/, "") || "/";
        if (!routes.has(route)) dead.push({ line: i + 1, link, why: "no such page on the site" });
      } else if (!existsSync(path.resolve(path.dirname(file), decodeURI(target)))) {
        dead.push({ line: i + 1, link, why: "no such file" });
      }
    }
  });
  return dead;
}
