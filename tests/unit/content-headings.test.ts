import { describe, expect, it } from "vitest";
import { headingsOf, slugify } from "@/lib/content/headings";
import { parseMdx } from "@/lib/content/mdx";

describe("headings", () => {
  it("slugifies like the page ids", () => {
    expect(slugify("Building blocks: hypervisor, guest OS")).toBe(
      "building-blocks-hypervisor-guest-os",
    );
    expect(slugify("  Café  au lait ")).toBe("cafe-au-lait");
  });

  it("skips headings inside fenced code and level 1 or 4", () => {
    const body = "# Title\n## Real\n```sh\n## not a heading\n```\n#### Deep\n### `Code` *em*";
    expect(headingsOf(parseMdx("x.mdx", body))).toEqual([
      { depth: 2, text: "Real", id: "real" },
      { depth: 3, text: "Code em", id: "code-em" },
    ]);
  });
});
