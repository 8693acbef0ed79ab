import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { extractActivities } from "@/lib/content/activities";
import { ContentError } from "@/lib/content/errors";
import { ARTICLE_SECTIONS, parseLessonFrontmatter } from "@/lib/content/frontmatter";
import type { LessonFrontmatter } from "@/lib/content/frontmatter";
import { loadHistory } from "@/lib/overhead/history";
import { parseVbenchOutput } from "@/lib/overhead/vbench-output";
import { parseSearchIndex, search, tokenize } from "@/lib/search/search";
import type { SearchDocument } from "@/lib/search/search";
import { formatClock, parseStartTime } from "@/lib/workshop/agenda";
import { readStartTime, writeStartTime } from "@/lib/workshop/settings";
import { clampSlide } from "@/lib/workshop/slides";
import { deeplyNested, hostileJson, hostileNumber, hostileString, protoKey, RUNS } from "./hostile";

const FILE = "content/labs/09-bad.mdx";

/** Runs `parse`; a refusal must be a ContentError naming the file. */
function contentRefusal<T>(parse: () => T): string | T {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    expect((error as Error).message.startsWith(FILE)).toBe(true);
    expect((error as Error).message).toMatch(/^content\/labs\/09-bad\.mdx(:\d+)?: /);
    return (error as Error).message;
  }
}

const words = fc.stringMatching(/^[A-Za-z][A-Za-z ,.'-]{2,60}[a-z.]$/);
const frontmatter: fc.Arbitrary<LessonFrontmatter> = fc.record({
  title: words.filter((t) => t.trim().length >= 3 && t.length <= 90),
  summary: words.filter((t) => t.trim().length >= 10),
  minutes: fc.integer({ min: 1, max: 240 }),
  order: fc.integer({ min: 1, max: 99 }),
  section: fc.constantFrom(...ARTICLE_SECTIONS),
  objectives: fc.array(words, { minLength: 1, maxLength: 8 }),
});

describe("lesson frontmatter, against hostile files", () => {
  const yamlValue = fc.oneof(
    hostileString,
    hostileNumber.map(String),
    fc.constantFrom(
      "[",
      "{",
      "*a",
      "&a [*a]",
      "!!js/function x",
      "- - -",
      "~",
      "0o17",
      ".nan",
      "-.inf",
    ),
  );
  const anySource = fc.oneof(
    hostileString,
    frontmatter.map((data) => `---\n${stringify(data)}---\n\nBody\n`),
    fc
      .tuple(
        frontmatter,
        fc.constantFrom("title", "summary", "minutes", "order", "section", "objectives"),
        yamlValue,
      )
      .map(
        ([data, field, value]) =>
          `---\n${stringify(data).replace(new RegExp(`^${field}:.*$`, "m"), () => `${field}: ${value}`)}---\n`,
      ),
    fc.tuple(frontmatter, protoKey).map(([data, key]) => `---\n${stringify(data)}${key}: 1\n---\n`),
    fc.constant(`---\n${"a: &a [".repeat(200)}\n---\n`),
    fc.constant(`---\nobjectives: ${JSON.stringify(deeplyNested(500, "x"))}\n---\n`),
  );

  it("parses or refuses with a ContentError naming the file (and the field when there is one)", () => {
    fc.assert(
      fc.property(anySource, (source) => {
        contentRefusal(() => parseLessonFrontmatter(FILE, source));
      }),
      { numRuns: 120 },
    );
  });

  it("reads back every valid block", () => {
    fc.assert(
      fc.property(frontmatter, (data) => {
        const parsed = parseLessonFrontmatter(FILE, `---\n${stringify(data)}---\n\nBody\n`);
        expect(parsed).toEqual({
          ...data,
          title: data.title.trim(),
          summary: data.summary.trim(),
          objectives: data.objectives.map((o) => o.trim()),
        });
      }),
      { numRuns: 200 },
    );
  });

  it("names a prototype key as an unknown field", () => {
    fc.assert(
      fc.property(frontmatter, protoKey, (data, key) => {
        const result = contentRefusal(() =>
          parseLessonFrontmatter(FILE, `---\n${stringify(data)}${key}: 1\n---\n`),
        );
        expect(result).toMatch(/^content\/labs\/09-bad\.mdx:\d+: field "[^"]+": unknown field$/);
        expect(result).toContain(`field "${key}"`);
      }),
      { numRuns: 30 },
    );
  });
});

describe("lab extraction, against hostile MDX", () => {
  const fragment = fc.oneof(
    hostileString,
    fc.constantFrom(
      "<Lab>",
      "</Lab>",
      '<Lab id="x" title="X">',
      '<Machine name="vm" profile="live" />',
      '<Machine name="vm" profile="live" memory={128} />',
      "<Machine {...spread} />",
      '<Step id="a" title="A" check="guest: true">',
      '<Step id="a" title="A" check="host: running >= 1">',
      "</Step>",
      '<Solution do="type vm: ls" />',
      '<Quiz id="q" question="Q?">',
      '<Choice correct feedback="yes">A</Choice>',
      '<Choice feedback="no">B</Choice>',
      "</Quiz>",
      '<Command vm="nope">ls</Command>',
      "{1 + }",
      "export const x = 1",
      "<",
      "\n\n",
    ),
  );

  it("extracts or refuses with a ContentError naming the file", () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (parts) => {
        contentRefusal(() => extractActivities(FILE, parts.join("\n")));
      }),
      { numRuns: 120 },
    );
  });
});

describe("search, against hostile queries", () => {
  const documents: SearchDocument[] = [
    {
      slug: "one",
      title: "Virtualization basics",
      summary: "Hypervisors and guests.",
      headings: [{ id: "cpu", text: "The CPU" }],
      text: "İstanbul ﬁle naïve café virtualization hypervisor guest kernel".repeat(20),
    },
    {
      slug: "two",
      title: "Networks",
      summary: "Switches and bridges.",
      headings: [],
      text: "A virtual switch connects guests; ping them.",
    },
  ];

  /** Levenshtein distance, for checking fuzzy matches. */
  function distance(a: string, b: string): number {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(
          row[j]! + 1,
          next[j - 1]! + 1,
          row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
      row = next;
    }
    return row[b.length]!;
  }

  it("never throws; every result matches every term, with a snippet from the lesson", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          fc.constantFrom("virt", "guest ping", "CAFÉ", "ﬁle", "İstanbul", "hypervsior kernl"),
        ),
        (query) => {
          const results = search(documents, query);
          const terms = tokenize(query.slice(0, 200));
          for (const result of results) {
            const document = documents.find((d) => d.slug === result.slug)!;
            const words = tokenize(
              `${document.title} ${document.headings.map((h) => h.text).join(" ")} ${document.summary} ${document.text}`,
            );
            // Each term starts a word of the lesson, or is at most 20% of its length away from one.
            for (const term of terms)
              expect(
                words.some(
                  (word) =>
                    word.startsWith(term) ||
                    (term.length >= 5 && distance(term, word) <= Math.round(term.length * 0.2)),
                ),
              ).toBe(true);
            expect(result.snippet.length).toBeLessThanOrEqual(200);
            for (const [from, to] of result.marks)
              expect(0 <= from && from < to && to <= result.snippet.length).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it("takes an index only when every document has its fields, and can then search it", () => {
    const document = fc.record({
      slug: fc.string(),
      title: fc.string(),
      summary: fc.string(),
      text: fc.string(),
      headings: fc.array(fc.record({ id: fc.string(), text: fc.string() })),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(document),
          hostileJson,
          fc
            .tuple(fc.array(document, { minLength: 1 }), hostileJson, fc.nat())
            .map(([list, bad, at]) => {
              list[at % list.length] = bad as never;
              return list;
            }),
        ),
        hostileString,
        (data, query) => {
          const index = parseSearchIndex(JSON.parse(JSON.stringify(data ?? null)));
          if (index) search(index, query);
        },
      ),
      RUNS,
    );
    expect(parseSearchIndex(documents)).toBe(documents);
    expect(parseSearchIndex([{ ...documents[0], headings: [null] }])).toBeNull();
  });

  it("reads only the first 200 characters of a huge query", () => {
    // Past the first 200 characters, "networks" is not read: only "virtualization" counts.
    const huge = `virtualization ${"x ".repeat(500_000)} networks`;
    expect(search(documents, huge).map((r) => r.slug)).toEqual(["one"]);
  });
});

describe("workshop start time, against hostile text and storage", () => {
  it("parses only HH:MM times of day, and formats them back the same", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          fc
            .tuple(fc.integer({ min: -5, max: 99 }), fc.integer({ min: -5, max: 99 }))
            .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
          fc.constantFrom("25:99", "24:00", "9:00", "09:60", "09:00:00", "٠٩:٠٠", " 13:30 "),
        ),
        (text) => {
          const result = parseStartTime(text);
          if (!result.ok) {
            expect(result.error).toMatch(/^(Enter a start time|".*" is not a time of day)/s);
            return;
          }
          expect(formatClock(result.minutes)).toBe(text.trim());
        },
      ),
      RUNS,
    );
  });

  it("reads a stored value it cannot use as the default, and never throws on a broken storage", () => {
    fc.assert(
      fc.property(fc.option(hostileString, { nil: null }), fc.boolean(), (stored, broken) => {
        const storage = {
          getItem: () => {
            if (broken) throw new DOMException("denied", "SecurityError");
            return stored;
          },
          setItem: () => {
            throw new DOMException("full", "QuotaExceededError");
          },
          removeItem: () => undefined,
        };
        const value = readStartTime(storage);
        expect(parseStartTime(value).ok).toBe(true);
        if (stored !== null)
          expect(writeStartTime(stored, storage)).toBe(parseStartTime(stored).ok);
      }),
      RUNS,
    );
  });

  it("clamps any slide number from the address into range", () => {
    fc.assert(
      fc.property(hostileNumber, fc.nat({ max: 100 }), (index, count) => {
        const slide = clampSlide(index, count);
        expect(Number.isInteger(slide)).toBe(true);
        expect(slide).toBeGreaterThanOrEqual(0);
        expect(slide).toBeLessThanOrEqual(Math.max(0, count - 1));
      }),
      RUNS,
    );
  });
});

describe("overhead history, against hostile storage", () => {
  it("loads whatever is stored without throwing, keeping only valid records", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          hostileJson.map((value) => JSON.stringify(value)),
        ),
        (text) => {
          const history = loadHistory({
            getItem: () => text,
            setItem: () => undefined,
            removeItem: () => undefined,
          });
          expect(Array.isArray(history.records)).toBe(true);
          if (history.notice) expect(history.notice).toMatch(/\.$/);
        },
      ),
      RUNS,
    );
  });
});

describe("the benchmark's output, against whatever the guest prints", () => {
  const digits = fc.oneof(fc.nat(), fc.stringMatching(/^\d{1,40}$/), fc.constant("9".repeat(400)));
  const plausible = fc.oneof(
    fc
      .tuple(digits, digits, fc.stringMatching(/^[0-9a-f]{8}$/))
      .map(([size, rounds, sum]) => `vbench size_kib=${size} rounds=${rounds} checksum=${sum}`),
    digits.map((us) => `time_us=${us}`),
    fc.constant("time_us=unavailable"),
  );

  it("never throws; every run it reports has finite whole numbers and a finite time", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(plausible, hostileString), { maxLength: 6 }), (lines) => {
        const result = parseVbenchOutput(lines.join("\n"));
        if (!result.ok) {
          expect(result.error).toMatch(
            /^(unexpected output from the guest: |the guest printed no vbench result)/,
          );
          return;
        }
        for (const run of result.runs) {
          expect(Number.isSafeInteger(run.sizeKib) && Number.isSafeInteger(run.rounds)).toBe(true);
          if (run.timeMs !== undefined) expect(Number.isFinite(run.timeMs)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
