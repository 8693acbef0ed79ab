import { describe, expect, it } from "vitest";
import { deadLinks, siteRoutes } from "@/scripts/lib/links";

describe("dead link check", () => {
  const routes = siteRoutes();

  it("knows the site's pages, lessons included", () => {
    expect(routes.has("/")).toBe(true);
    expect(routes.has("/playground")).toBe(true);
    expect(routes.has("/labs/why-virtualize")).toBe(true);
  });

  it("names dead file links and unknown pages with their line, and passes live ones", () => {
    const text = [
      "See [the runtime](docs/vm-runtime.md#persistence) and [home](/).",
      "Broken: [gone](docs/nothing-here.md) and [lesson](/labs/no-such-lesson).",
      'An <a href="/playground">anchor</a>, [outside](https://example.org/x), [here](#top).',
    ].join("\n");
    expect(deadLinks("README.md", text, routes)).toEqual([
      { line: 2, link: "docs/nothing-here.md", why: "no such file" },
      { line: 2, link: "/labs/no-such-lesson", why: "no such page on the site" },
    ]);
  });
});
