/**
 * `npm run check:links`: every relative link in the README, docs/, bench/README.md and the lessons
 * must reach a file of the repository, and every site path a route the site has. Links to other
 * sites are not fetched (the build machine has no internet). Exits 1 with file:line and the link.
 */
import { readFileSync } from "node:fs";
import { deadLinks, files, siteRoutes } from "./lib/links";

const routes = siteRoutes();
const checked = [
  "README.md",
  "bench/README.md",
  ...files("docs", ".md"),
  ...files("content/labs", ".mdx"),
];
let count = 0;
for (const file of checked) {
  for (const d of deadLinks(file, readFileSync(file, "utf8"), routes)) {
    console.error(`${file}:${d.line}: dead link ${d.link} (${d.why})`);
    count++;
  }
}
if (count > 0) {
  console.error(`${count} dead link${count === 1 ? "" : "s"}`);
  process.exit(1);
}
console.log(`links: ${checked.length} files checked, none dead`);
