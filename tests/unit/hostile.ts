import fc from "fast-check";

/** Generators of bad input shared by the property tests (tests/unit/*.property.test.ts). */

/** Keys that clash with an object's own machinery when used as plain data. */
export const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
] as const;

export const protoKey = fc.constantFrom(...PROTOTYPE_KEYS);

/** Text of every kind: ASCII, any code unit (lone surrogates too), graphemes, control characters. */
export const hostileString = fc.oneof(
  { arbitrary: fc.string(), weight: 4 },
  { arbitrary: fc.string({ unit: "binary" }), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme" }), weight: 4 },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\u0000",
      "\n\r\t",
      "\u202e\u200b\ufeff",
      "İıß",
      "💥👩‍👩‍👧",
      "<script>alert(1)</script>",
      "../../etc/passwd",
      "%00%2e%2e",
      "NaN",
      "Infinity",
      "-1",
      "1e999",
      "0x10",
      "null",
      "undefined",
      ...PROTOTYPE_KEYS,
    ),
  },
  { arbitrary: fc.string({ minLength: 5_000, maxLength: 20_000 }), weight: 1 },
);

export const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    -1,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e21,
  ),
);

/** Any value at all, prototype-clashing keys and null-prototype objects included. */
export const hostileValue: fc.Arbitrary<unknown> = fc.anything({
  key: fc.oneof(fc.string(), protoKey),
  maxDepth: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  withBoxedValues: true,
});

/** A JSON value, as a parsed file could hold (prototype keys arrive as own data properties). */
export const hostileJson: fc.Arbitrary<unknown> = fc
  .jsonValue({ maxDepth: 4 })
  .chain((value) => fc.constantFrom(value, JSON.parse(JSON.stringify(value)) as unknown));

/** Nests a value `depth` levels deep in arrays or objects, as a hostile file might. */
export function deeplyNested(depth: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Text cut short, or with one character replaced: what a damaged file looks like. */
export function garbled(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut)),
    fc
      .tuple(
        fc.nat({ max: Math.max(0, text.length - 1) }),
        fc.string({ minLength: 1, maxLength: 1 }),
      )
      .map(([at, char]) => text.slice(0, at) + char + text.slice(at + 1)),
  );
}

/** Replaces the value at a random path of a JSON object with a hostile one. */
function mutateAt(value: unknown, path: readonly string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...value };
  const [head, ...rest] = path;
  Object.defineProperty(copy, head!, {
    value: mutateAt(copy[head!], rest, replacement),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** Every path to a value inside a JSON object, for picking one to break. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  return [
    prefix,
    ...Object.keys(value).flatMap((key) =>
      pathsOf((value as Record<string, unknown>)[key], [...prefix, key]),
    ),
  ];
}

/** Valid values with one field anywhere (the whole value included) replaced by another. */
export function oneFieldReplaced(
  valid: fc.Arbitrary<unknown>,
  replacement: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  return fc.tuple(valid, replacement, fc.nat()).map(([value, bad, pick]) => {
    const paths = pathsOf(value);
    return mutateAt(value, paths[pick % paths.length]!, bad);
  });
}

export const RUNS = { numRuns: 300 } as const;
