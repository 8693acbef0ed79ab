import fc from "fast-check";
// The globals too: idb checks what it wraps against them.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { emptyProgress, parseProgress, PROGRESS_VERSION } from "@/lib/labs/progress";
import type { Progress } from "@/lib/labs/progress";
import { ProgressStore } from "@/lib/labs/progress-store";
import {
  mergeProgress,
  parseProgressFile,
  PROGRESS_FILE_MAX_BYTES,
  progressSchema,
  replaceProgress,
  serializeProgressFile,
} from "@/lib/labs/progress-file";
import {
  deeplyNested,
  garbled,
  hostileJson,
  hostileNumber,
  hostileString,
  hostileValue,
  oneFieldReplaced,
  protoKey,
  RUNS,
} from "./hostile";

const kebab = fc.stringMatching(/^[a-z0-9]{1,8}(?:-[a-z0-9]{1,8}){0,2}$/);
const key = fc.tuple(kebab, kebab).map(([lesson, item]) => `${lesson}/${item}`);

/** Progress records the site itself writes. */
const validProgress: fc.Arbitrary<Progress> = fc.record({
  version: fc.constant(PROGRESS_VERSION),
  steps: fc.dictionary(key, fc.array(fc.string({ maxLength: 100 }), { maxLength: 100 }), {
    maxKeys: 8,
  }),
  quizzes: fc.dictionary(key, fc.boolean(), { maxKeys: 8 }),
  updatedAt: fc.nat(),
});

/** Valid records with one field anywhere replaced by something hostile. */
const brokenProgress = oneFieldReplaced(validProgress, hostileValue);

const brokenProgressJson = oneFieldReplaced(validProgress, hostileJson);

const withHostileKey = fc
  .tuple(validProgress, fc.oneof(protoKey, hostileString), fc.constantFrom("steps", "quizzes"))
  .map(
    ([progress, bad, where]) =>
      JSON.parse(
        JSON.stringify(progress).replace(
          `"${where}":{`,
          () =>
            `"${where}":{${JSON.stringify(bad)}:${where === "steps" ? '["a"]' : "true"}${Object.keys(progress[where as "steps"]).length > 0 ? "," : ""}`,
        ),
      ) as unknown,
  );

const anyRecord = fc.oneof(
  validProgress,
  brokenProgress,
  withHostileKey,
  hostileValue,
  hostileJson,
  fc.constant(deeplyNested(5_000)),
);

describe("parseProgress (stored record), against hostile values", () => {
  it("never throws, and agrees with the file schema on what is a record", () => {
    fc.assert(
      fc.property(anyRecord, (value) => {
        const parsed = parseProgress(value);
        expect(parsed !== null).toBe(progressSchema.safeParse(value).success);
      }),
      RUNS,
    );
  });

  it("accepts every record the site writes, unchanged through JSON and structured clone", () => {
    fc.assert(
      fc.property(validProgress, (progress) => {
        expect(parseProgress(JSON.parse(JSON.stringify(progress)))).toEqual(progress);
        expect(parseProgress(structuredClone(progress))).toEqual(progress);
      }),
      RUNS,
    );
  });

  it("refuses keys that are not <lesson>/<id>, prototype keys among them", () => {
    fc.assert(
      fc.property(protoKey, fc.constantFrom("steps", "quizzes"), (bad, where) => {
        const value = JSON.parse(
          `{"version":1,"steps":{},"quizzes":{},"updatedAt":0}`.replace(
            `"${where}":{}`,
            `"${where}":{"${bad}":${where === "steps" ? '["a"]' : "true"}}`,
          ),
        ) as unknown;
        expect(parseProgress(value)).toBeNull();
      }),
    );
  });
});

describe("progress files, against hostile text", () => {
  const validFile = fc
    .tuple(validProgress, fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }))
    .map(([progress, date]) => serializeProgressFile(progress, date));

  const anyText = fc.oneof(
    hostileString,
    validFile,
    validFile.chain(garbled),
    validProgress.map((progress) => JSON.stringify(progress)),
    brokenProgressJson.map((progress) =>
      JSON.stringify({
        format: "virtualization-labs-progress",
        version: 1,
        exportedAt: "2025-01-01T00:00:00.000Z",
        progress,
      }),
    ),
    withHostileKey.map((progress) =>
      JSON.stringify({
        format: "virtualization-labs-progress",
        version: 1,
        exportedAt: "2025-01-01T00:00:00.000Z",
        progress,
      }).replace('"steps":{', '"steps":{"__proto__":["x"],'),
    ),
    hostileNumber.map((n) => `{"format":"virtualization-labs-progress","version":${n}}`),
    fc.constant(JSON.stringify(deeplyNested(3_000))),
    fc.constant(`[${"1,".repeat(PROGRESS_FILE_MAX_BYTES / 2)}1]`),
  );

  it("never throws; a refusal is one clear sentence, naming the field when there is one", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseProgressFile(text);
        if (result.ok) {
          expect(parseProgress(result.file.progress)).toEqual(result.file.progress);
          return;
        }
        expect(result.error).toMatch(/^(The|This) .+\.$/s);
        if (result.error.includes("invalid at"))
          expect(result.error).toMatch(/invalid at (the top level|[\w$[].*): /s);
      }),
      RUNS,
    );
  });

  it("reads back every file it writes", () => {
    fc.assert(
      fc.property(validProgress, (progress) => {
        const result = parseProgressFile(serializeProgressFile(progress, new Date(0)));
        expect(result.ok && result.file.progress).toEqual(progress);
      }),
      RUNS,
    );
  });

  it("says a cut-off file is truncated", () => {
    fc.assert(
      fc.property(validFile, fc.double({ min: 0.05, max: 0.95, noNaN: true }), (text, at) => {
        const cut = text.slice(0, Math.floor(text.indexOf('"progress"') * at) + 12);
        const result = parseProgressFile(cut);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toMatch(/truncated|not valid JSON/);
      }),
    );
  });

  it("names the prototype key it refuses", () => {
    const text = `{"format":"virtualization-labs-progress","version":1,"exportedAt":"2025-01-01T00:00:00.000Z","progress":{"version":1,"steps":{"__proto__":["a"]},"quizzes":{},"updatedAt":0}}`;
    const result = parseProgressFile(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain("invalid at progress.steps.__proto__:");
  });
});

async function readRaw(factory: IDBFactory, key: string): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open("vlabs-progress", 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await new Promise((resolve, reject) => {
      const request = db.transaction("records").objectStore("records").get(key);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

describe("importing a file", () => {
  it("merges into a record that can be stored and read back, losing nothing done", () => {
    fc.assert(
      fc.property(validProgress, validProgress, fc.nat(), (current, incoming, now) => {
        const merged = mergeProgress(current, incoming, now);
        expect(parseProgress(merged)).toEqual(merged);
        for (const [labKey, steps] of Object.entries(current.steps))
          for (const step of steps.slice(0, 100)) expect(merged.steps[labKey]).toContain(step);
        for (const [quizKey, passed] of Object.entries(current.quizzes))
          if (passed) expect(merged.quizzes[quizKey]).toBe(true);
        expect(parseProgress(replaceProgress(incoming, now))).not.toBeNull();
      }),
      RUNS,
    );
  });

  it("a refused import leaves the stored progress as it was; an unreadable record is set aside, never dropped", async () => {
    await fc.assert(
      fc.asyncProperty(
        validProgress,
        fc.oneof(
          hostileString,
          validProgress.chain((p) => garbled(JSON.stringify(p))),
        ),
        fc.oneof(brokenProgress, hostileJson),
        async (stored, text, unreadable) => {
          const factory = new IDBFactory();
          const store = await ProgressStore.open(factory);
          try {
            await store.update(() => stored);
            const result = parseProgressFile(text);
            if (result.ok) await store.update((c) => mergeProgress(c, result.file.progress, 1));
            else expect((await store.load()).progress).toEqual(stored);

            // A record nobody can read: load() resets it and keeps a copy aside.
            await store.update(() => unreadable as Progress);
            const loaded = await store.load();
            if (parseProgress(unreadable) === null) {
              expect(loaded.progress).toEqual(emptyProgress());
              const aside = /"(progress-unreadable-\d+)"/.exec(loaded.notice ?? "")?.[1];
              expect(await readRaw(factory, aside!)).toEqual(unreadable);
            }
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
