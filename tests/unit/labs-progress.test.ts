// The globals too: idb checks what it wraps against them.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import {
  emptyProgress,
  lessonProgress,
  withLabReset,
  withQuizAnswer,
  withStepDone,
} from "@/lib/labs/progress";
import { ProgressStore } from "@/lib/labs/progress-store";
import { openDatabase } from "@/lib/storage/idb";

const lesson = { slug: "intro", labs: [{ id: "lab", steps: ["a", "b"] }], quizIds: ["q"] };

describe("progress record", () => {
  it("counts a lesson complete only when every step and quiz is done", () => {
    let progress = emptyProgress();
    expect(lessonProgress(progress, lesson)).toMatchObject({
      started: false,
      complete: false,
      stepsTotal: 2,
    });
    progress = withStepDone(progress, "intro/lab", "a", 1);
    progress = withStepDone(progress, "intro/lab", "a", 2);
    expect(progress.steps["intro/lab"]).toEqual(["a"]);
    progress = withStepDone(progress, "intro/lab", "b", 3);
    progress = withQuizAnswer(progress, "intro/q", false, 4);
    expect(lessonProgress(progress, lesson)).toMatchObject({
      started: true,
      complete: false,
      quizzesPassed: 0,
    });
    progress = withQuizAnswer(progress, "intro/q", true, 5);
    progress = withQuizAnswer(progress, "intro/q", false, 6);
    expect(lessonProgress(progress, lesson)).toMatchObject({
      complete: true,
      stepsDone: 2,
      quizzesPassed: 1,
    });
    expect(lessonProgress(withLabReset(progress, "intro/lab", 7), lesson)).toMatchObject({
      stepsDone: 0,
      complete: false,
    });
  });
});

describe("ProgressStore (IndexedDB)", () => {
  it("survives a reopen, as across a page reload", async () => {
    const factory = new IDBFactory();
    const first = await ProgressStore.open(factory);
    await first.update((progress) => withStepDone(progress, "intro/lab", "a", 1));
    first.close();
    const second = await ProgressStore.open(factory);
    expect((await second.load()).progress.steps).toEqual({ "intro/lab": ["a"] });
    second.close();
  });

  it("keeps concurrent updates from two pages", async () => {
    const factory = new IDBFactory();
    const [a, b] = await Promise.all([ProgressStore.open(factory), ProgressStore.open(factory)]);
    await Promise.all([
      a.update((progress) => withStepDone(progress, "intro/lab", "a", 1)),
      b.update((progress) => withStepDone(progress, "intro/lab", "b", 1)),
    ]);
    expect((await a.load()).progress.steps["intro/lab"]?.sort()).toEqual(["a", "b"]);
    a.close();
    b.close();
  });

  it("resets a corrupted record with a notice and keeps the original aside", async () => {
    const factory = new IDBFactory();
    const store = await ProgressStore.open(factory);
    store.close();
    const database = await openDatabase(factory, "vlabs-progress", 1, () => {});
    await database.put("records", { version: 1, steps: "garbage" }, "progress");

    const reopened = await ProgressStore.open(factory);
    const loaded = await reopened.load();
    expect(loaded.progress).toEqual(emptyProgress());
    expect(loaded.notice).toMatch(/could not be read, so it was reset/);
    const keys = await database.getAllKeys("records");
    const aside = keys.find((key) => String(key).startsWith("progress-unreadable-"));
    expect(aside).toBeDefined();
    const kept: unknown = await database.get("records", aside!);
    expect(kept).toEqual({ version: 1, steps: "garbage" });
    expect((await reopened.load()).notice).toBeUndefined();
    reopened.close();
    database.close();
  });
});

describe("parseProgress", () => {
  it("accepts what the file schema accepts and refuses what it refuses", async () => {
    const { parseProgress } = await import("@/lib/labs/progress");
    const { progressSchema } = await import("@/lib/labs/progress-file");
    const samples: unknown[] = [
      emptyProgress(),
      withStepDone(emptyProgress(), "a/b", "c", 3),
      { version: 1, steps: {}, quizzes: { "a/q": true }, updatedAt: 1 },
      { version: 2, steps: {}, quizzes: {}, updatedAt: 0 },
      { version: 1, steps: { x: "a" }, quizzes: {}, updatedAt: 0 },
      { version: 1, steps: {}, quizzes: { q: "yes" }, updatedAt: 0 },
      { version: 1, steps: {}, quizzes: {}, updatedAt: -1 },
      { version: 1, steps: {}, quizzes: {}, updatedAt: 0, extra: true },
      { version: 1, steps: { x: ["y".repeat(101)] }, quizzes: {}, updatedAt: 0 },
      // A sparse array (a hole where a step id should be), as structured clone can store it.
      { version: 1, steps: { "a/b": new Array<string>(1) }, quizzes: {}, updatedAt: 0 },
      { version: 1, steps: {}, quizzes: {}, updatedAt: 2 ** 53 },
      null,
      [],
      "progress",
    ];
    for (const sample of samples) {
      expect(parseProgress(sample) !== null, JSON.stringify(sample)).toBe(
        progressSchema.safeParse(sample).success,
      );
    }
  });
});
