import { describe, expect, it } from "vitest";
import { GLOSSARY, getGlossaryEntry, sortedGlossary } from "@/lib/content/glossary";

describe("glossary", () => {
  it("has unique kebab-case ids and a definition for each term", () => {
    const ids = GLOSSARY.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of GLOSSARY) {
      expect(entry.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(entry.term.trim()).not.toBe("");
      expect(entry.definition.length).toBeGreaterThan(30);
    }
  });

  it("links related entries only to entries that exist", () => {
    const missing = GLOSSARY.flatMap((entry) =>
      (entry.related ?? [])
        .filter((id) => !getGlossaryEntry(id) || id === entry.id)
        .map((id) => `${entry.id} -> ${id}`),
    );
    expect(missing).toEqual([]);
  });

  it("sorts entries by term", () => {
    const terms = sortedGlossary().map((entry) => entry.term.toLowerCase());
    expect(terms).toEqual([...terms].sort((a, b) => a.localeCompare(b, "en")));
  });
});
