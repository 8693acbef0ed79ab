import { describe, expect, it } from "vitest";
import { formatFieldPath } from "@/lib/field-path";

describe("formatFieldPath", () => {
  it("joins plain names with dots and indexes in brackets", () => {
    expect(formatFieldPath(["progress", "steps", "why-virtualize/lab-1", 2])).toBe(
      "progress.steps.why-virtualize/lab-1[2]",
    );
  });

  it("quotes keys that would make the path ambiguous", () => {
    expect(formatFieldPath(["steps", '"'])).toBe('steps["\\""]');
    expect(formatFieldPath(["steps", "a.b", ""])).toBe('steps["a.b"][""]');
    expect(formatFieldPath(["two words"])).toBe('["two words"]');
  });

  it("is empty for the top level", () => {
    expect(formatFieldPath([])).toBe("");
  });
});
