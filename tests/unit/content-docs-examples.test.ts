import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkDocsExample,
  checkDocsExamples,
  docsExamples,
  DOCS_WITH_EXAMPLES,
} from "@/lib/content/docs-examples";
import { formatProblem } from "@/lib/content/errors";

describe("the docs' examples", () => {
  it.each(DOCS_WITH_EXAMPLES)("%s: every MDX and frontmatter example builds", (file) => {
    const examples = docsExamples(file, readFileSync(file, "utf8"));
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.flatMap(checkDocsExample).map(formatProblem)).toEqual([]);
  });

  it("covers the complete lab example and the frontmatter example", () => {
    const { examples, problems } = checkDocsExamples();
    expect(problems).toEqual([]);
    const all = DOCS_WITH_EXAMPLES.flatMap((file) =>
      docsExamples(file, readFileSync(file, "utf8")),
    );
    expect(all.filter((example) => example.kind === "frontmatter")).toHaveLength(1);
    expect(all.some((example) => example.source.includes("<Lab "))).toBe(true);
    expect(examples).toBe(all.length);
  });

  it("names the document and its line when an example is wrong", () => {
    const markdown = [
      "# Doc",
      "",
      "```mdx",
      '<Lab id="x" title="X">',
      '  <Machine name="alpha" profile="live" memory="64" />',
      '  <Step id="s" title="S" check="host: running >= 1">',
      '    <Solution do="click alpha Start" />',
      "  </Step>",
      "</Lab>",
      "```",
      "",
      "```yaml",
      "---",
      "title: A lesson",
      "---",
      "```",
      "",
    ].join("\n");
    const problems = docsExamples("docs/x.md", markdown).flatMap(checkDocsExample);
    expect(problems.map(formatProblem)).toEqual([
      'docs/x.md:5: <Machine name="alpha"> field "memory": "64" must be a whole number of MiB from 80 to 512 for a live guest',
      'docs/x.md:13: field "summary": is required',
      'docs/x.md:13: field "minutes": is required',
      'docs/x.md:13: field "order": is required',
      'docs/x.md:13: field "section": is required',
      'docs/x.md:13: field "objectives": is required',
    ]);
  });
});
