import { describe, expect, it } from "vitest";
import { readLastVisited, writeLastVisited } from "@/lib/labs/last-visited";

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe("last visited lesson", () => {
  it("round-trips a known slug", () => {
    const storage = memoryStorage();
    writeLastVisited(storage, "building-blocks");
    expect(readLastVisited(storage, ["why", "building-blocks"])).toBe("building-blocks");
  });

  it("ignores a slug that is no longer in the course or is malformed", () => {
    expect(readLastVisited(memoryStorage({ "vlabs:last-lesson": "gone" }), ["why"])).toBeNull();
    expect(
      readLastVisited(memoryStorage({ "vlabs:last-lesson": "<script>" }), ["<script>"]),
    ).toBeNull();
  });

  it("survives storage that throws", () => {
    const broken = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    expect(readLastVisited(broken, ["why"])).toBeNull();
    expect(() => writeLastVisited(broken, "why")).not.toThrow();
  });
});
