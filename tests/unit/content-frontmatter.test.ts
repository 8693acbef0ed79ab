import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ContentError } from "@/lib/content/errors";
import { parseLessonFrontmatter } from "@/lib/content/frontmatter";
import { loadLessons } from "@/lib/content/lessons";

const VALID = `---
title: A lesson
summary: A summary that is long enough.
minutes: 15
order: 1
section: why-virtualize
objectives:
  - Do a thing
---

## First part
`;

function withField(line: string, replacement: string): string {
  return VALID.replace(new RegExp(`^${line}.*$`, "m"), replacement);
}

describe("lesson frontmatter", () => {
  it("accepts a complete, well-typed block", () => {
    expect(parseLessonFrontmatter("x.mdx", VALID)).toEqual({
      title: "A lesson",
      summary: "A summary that is long enough.",
      minutes: 15,
      order: 1,
      section: "why-virtualize",
      objectives: ["Do a thing"],
    });
  });

  it.each([
    ["minutes", withField("minutes", "minutes: fifteen")],
    ["minutes", withField("minutes", "minutes: 0")],
    ["title", withField("title", "")],
    ["section", withField("section", "section: somewhere-else")],
    ["objectives", withField("objectives", "objectives: []").replace("  - Do a thing\n", "")],
  ])("names the file and the field %s when it is wrong", (field, source) => {
    expect(() => parseLessonFrontmatter("content/labs/01-x.mdx", source)).toThrowError(
      new RegExp(`^content/labs/01-x\\.mdx:\\d+: field "${field}"`),
    );
  });

  it("rejects unknown fields by name", () => {
    const source = VALID.replace("order: 1", "order: 1\nauthor: someone");
    expect(() => parseLessonFrontmatter("a.mdx", source)).toThrowError(
      /field "author": unknown field/,
    );
  });

  it("names the line of the field at fault", () => {
    expect(() =>
      parseLessonFrontmatter("content/labs/01-x.mdx", withField("minutes", "minutes: fifteen")),
    ).toThrowError(
      'content/labs/01-x.mdx:4: field "minutes": Invalid input: expected number, received string',
    );
    expect(() =>
      parseLessonFrontmatter(
        "a.mdx",
        VALID.replace("summary: A summary that is long enough.\n", ""),
      ),
    ).toThrowError('a.mdx:1: field "summary": is required');
  });

  it("rejects a file without a frontmatter block", () => {
    expect(() => parseLessonFrontmatter("a.mdx", "# Just text")).toThrowError(ContentError);
  });

  it("rejects YAML that does not parse", () => {
    expect(() => parseLessonFrontmatter("a.mdx", "---\ntitle: [unclosed\n---\n")).toThrowError(
      /a\.mdx:2: frontmatter is not valid YAML/,
    );
  });
});

describe("loading a folder of lessons", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function folder(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(tmpdir(), "lessons-"));
    for (const [name, source] of Object.entries(files)) writeFileSync(path.join(dir, name), source);
    return dir;
  }

  it("orders lessons and derives slugs and headings", () => {
    const second = VALID.replace("order: 1", "order: 2").replace(
      "## First part",
      "## Second\n### Detail",
    );
    const lessons = loadLessons(folder({ "02-later.mdx": second, "01-first.mdx": VALID }));
    expect(lessons.map((lesson) => lesson.slug)).toEqual(["first", "later"]);
    expect(lessons[1]!.headings).toEqual([
      { depth: 2, text: "Second", id: "second" },
      { depth: 3, text: "Detail", id: "detail" },
    ]);
  });

  it("rejects an order that disagrees with the file name", () => {
    expect(() => loadLessons(folder({ "03-x.mdx": VALID }))).toThrowError(
      /03-x\.mdx: field "order"/,
    );
  });

  it("rejects a badly named file", () => {
    expect(() => loadLessons(folder({ "Intro.mdx": VALID }))).toThrowError(/named NN-slug\.mdx/);
  });

  it("rejects two lessons with the same slug", () => {
    const second = VALID.replace("order: 1", "order: 2");
    expect(() => loadLessons(folder({ "01-same.mdx": VALID, "02-same.mdx": second }))).toThrowError(
      /field "slug"/,
    );
  });

  it("validates the course that ships", () => {
    const lessons = loadLessons();
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.map((lesson) => lesson.order)).toEqual(lessons.map((_, index) => index + 1));
  });
});
