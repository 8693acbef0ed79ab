import { LESSON_PAGE_BUDGET_KB, measurePageWeight, siteRoutes } from "../../scripts/page-weight";
import { expect, test } from "./fixtures";

// Bytes are deterministic for a build, so the lesson budget is checked here and not only in bench.
for (const route of siteRoutes().filter((route) => route.startsWith("/labs/"))) {
  test(`${route} loads at most ${LESSON_PAGE_BUDGET_KB} KB of JavaScript (gzip) up front`, async ({
    baseURL,
  }) => {
    const weight = await measurePageWeight(baseURL!, route);
    expect(weight.scripts).toBeGreaterThan(0);
    expect(weight.gzipBytes / 1024).toBeLessThanOrEqual(LESSON_PAGE_BUDGET_KB);
  });
}
