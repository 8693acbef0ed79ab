import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ContentError } from "@/lib/content/errors";
import { parseMdx } from "@/lib/content/mdx";
import { checkSourceCode, readSourceExcerpt, sourceExcerpt } from "@/lib/content/source-code";

describe("<SourceCode>: program source shown in a lesson", () => {
  it("reads an excerpt from the first line with `from` to the next line with `to`", () => {
    const lines = readFileSync("guest/vmm/trapdemo.c", "utf8").split("\n");
    const excerpt = sourceExcerpt("guest/vmm/trapdemo.c", {
      from: "/* The guest: eight privileged",
      to: "}",
    });
    expect(excerpt.text.split("\n")[0]).toBe(lines[excerpt.firstLine - 1]);
    expect(excerpt.text).toContain('"cli\\n\\t"');
    expect(excerpt.text.split("\n").at(-1)).toBe("}");
    expect(excerpt.lastLine - excerpt.firstLine + 1).toBe(excerpt.text.split("\n").length);
    const whole = sourceExcerpt("guest/baremetal/boot.asm");
    expect(whole.firstLine).toBe(1);
    expect(whole.lastLine).toBe(whole.totalLines);
  });

  it("refuses files outside the guest programs' folders, missing files and missing markers", () => {
    expect(readSourceExcerpt("package.json")).toEqual({
      problem: expect.stringContaining("under guest/vmm/"),
    });
    expect(readSourceExcerpt("guest/vmm/../../package.json")).toHaveProperty("problem");
    expect(readSourceExcerpt("guest/vmm/nope.c")).toEqual({
      problem: "no such file: guest/vmm/nope.c",
    });
    expect(readSourceExcerpt("guest/vmm/trapdemo.c", { from: "no such text" })).toEqual({
      problem: 'no line of guest/vmm/trapdemo.c contains "no such text"',
    });
    expect(() => sourceExcerpt("guest/vmm/trapdemo.c", { to: "no such text" })).toThrow(
      ContentError,
    );
  });

  it("is checked with the lesson: the line, the attribute and what is wrong", () => {
    const source = [
      "# Title",
      "",
      '<SourceCode file="guest/vmm/tinyvmm.c" from="int main(" />',
      "",
      '<SourceCode file="guest/vmm/missing.c" />',
      "",
      '<SourceCode file="guest/vmm/tinyvmm.c" lines="1-3" />',
      "",
    ].join("\n");
    const tree = parseMdx("lesson.mdx", source);
    try {
      checkSourceCode("lesson.mdx", tree);
      expect.unreachable();
    } catch (error) {
      expect((error as ContentError).problems).toEqual([
        {
          file: "lesson.mdx",
          line: 5,
          element: "<SourceCode>",
          field: "file",
          message: "no such file: guest/vmm/missing.c",
        },
        {
          file: "lesson.mdx",
          line: 7,
          element: "<SourceCode>",
          field: "lines",
          message: "is not an attribute (it takes file, from, to, title, open)",
        },
      ]);
    }
  });
});
