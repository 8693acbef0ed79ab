import { describe, expect, it } from "vitest";
import { emptyProgress, withQuizAnswer, withStepDone } from "@/lib/labs/progress";
import {
  PROGRESS_FILE_MAX_BYTES,
  checkProgressFileSize,
  describeSummary,
  mergeProgress,
  parseProgressFile,
  progressFileName,
  replaceProgress,
  serializeProgressFile,
  summarizeProgress,
} from "@/lib/labs/progress-file";

const now = new Date("2025-03-04T10:00:00.000Z");

function sample() {
  let progress = withStepDone(emptyProgress(), "intro/lab", "a", 1);
  progress = withStepDone(progress, "intro/lab", "b", 2);
  return withQuizAnswer(progress, "intro/q", true, 3);
}

function failure(text: string): string {
  const result = parseProgressFile(text);
  expect(result.ok).toBe(false);
  return result.ok ? "" : result.error;
}

describe("progress file", () => {
  it("round-trips the stored record", () => {
    const text = serializeProgressFile(sample(), now);
    const result = parseProgressFile(text);
    expect(result).toEqual({
      ok: true,
      file: {
        format: "virtualization-labs-progress",
        version: 1,
        exportedAt: now.toISOString(),
        progress: sample(),
      },
    });
    expect(progressFileName(now)).toBe("virtualization-labs-progress-2025-03-04.json");
  });

  it("says a cut-off file is truncated", () => {
    const text = serializeProgressFile(sample(), now);
    expect(failure(text.slice(0, text.length / 2))).toMatch(/truncated/);
  });

  it("refuses a file that is not JSON, or JSON of another kind", () => {
    expect(failure("hello")).toMatch(/not valid JSON/);
    expect(failure("[1, 2]")).toMatch(/not a Virtualization Labs progress file/);
    expect(failure('{"format": "something-else", "version": 1}')).toMatch(
      /not a Virtualization Labs progress file/,
    );
  });

  it("names the version when it is not the one this site reads", () => {
    const file = JSON.parse(serializeProgressFile(sample(), now));
    expect(failure(JSON.stringify({ ...file, version: 7 }))).toMatch(/newer version.*7/);
    expect(failure(JSON.stringify({ ...file, version: "one" }))).toMatch(/unknown version/);
  });

  it("says where the data is wrong", () => {
    const file = JSON.parse(serializeProgressFile(sample(), now));
    file.progress.steps["intro/lab"] = "a";
    expect(failure(JSON.stringify(file))).toMatch(/at progress\.steps\.intro\/lab: /);
    const extra = JSON.parse(serializeProgressFile(sample(), now));
    extra.progress.admin = true;
    expect(failure(JSON.stringify(extra))).toMatch(/at progress: /);
  });

  it("refuses empty and huge files before parsing", () => {
    expect(checkProgressFileSize(0)).toMatch(/empty/);
    expect(checkProgressFileSize(PROGRESS_FILE_MAX_BYTES + 1)).toMatch(/too large/);
    expect(checkProgressFileSize(2048)).toBeNull();
    expect(failure(" ".repeat(PROGRESS_FILE_MAX_BYTES + 1))).toMatch(/too large/);
  });

  it("merges as a union and replaces wholesale", () => {
    let current = withStepDone(emptyProgress(), "intro/lab", "c", 1);
    current = withQuizAnswer(current, "intro/q", false, 2);
    current = withQuizAnswer(current, "other/q", true, 2);
    const merged = mergeProgress(current, sample(), 99);
    expect(merged.steps["intro/lab"]).toEqual(["c", "a", "b"]);
    expect(merged.quizzes).toEqual({ "intro/q": true, "other/q": true });
    expect(merged.updatedAt).toBe(99);
    expect(mergeProgress(sample(), current, 5).quizzes["intro/q"]).toBe(true);
    const replaced = replaceProgress(sample(), 100);
    expect(replaced.steps).toEqual(sample().steps);
    expect(replaced.updatedAt).toBe(100);
  });

  it("summarises a record in words", () => {
    expect(describeSummary(summarizeProgress(sample()))).toBe(
      "2 lab steps done in 1 lab, 1 quiz question answered correctly",
    );
  });
});
