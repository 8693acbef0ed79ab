import { describe, expect, it } from "vitest";
import { TextWatch } from "@/lib/emulator/serial-watch";

/** What the watch keeps between pushes: a needle that spans two chunks needs only that much. */
const kept = (watch: TextWatch) => (watch as unknown as { tail: string }).tail.length;

describe("TextWatch", () => {
  it("finds a needle split across chunks, once", () => {
    let matches = 0;
    const watch = new TextWatch("Kernel panic", () => matches++);
    for (const chunk of ["boot ok\nKern", "el pa", "nic - not syncing\n", "more text\n"])
      watch.push(chunk);
    expect(matches).toBe(1);
    expect(kept(watch)).toBeLessThan("Kernel panic".length);
  });

  it("matches a one-character needle once per occurrence, keeping nothing between pushes", () => {
    let matches = 0;
    const watch = new TextWatch("#", () => matches++);
    const chunks = ["$ ls\n", "# ", ...Array.from({ length: 10_000 }, (_, i) => `line ${i}\n`)];
    for (const chunk of chunks) watch.push(chunk);
    expect(matches).toBe(1);
    expect(kept(watch)).toBe(0);
  });

  it("stays small with an empty needle, however much is pushed", () => {
    let matches = 0;
    const watch = new TextWatch("", () => matches++);
    for (let i = 0; i < 10_000; i++) watch.push(`console line ${i}\n`);
    expect(matches).toBe(10_000);
    expect(kept(watch)).toBe(0);
  });
});
