import { describe, expect, it } from "vitest";
import { parseMdx } from "@/lib/content/mdx";
import { plainText } from "@/lib/search/plain-text";
import { search, tokenize } from "@/lib/search/search";
import type { SearchDocument } from "@/lib/search/search";

const documents: SearchDocument[] = [
  {
    slug: "types",
    title: "Hypervisor types",
    summary: "Bare-metal and hosted hypervisors.",
    headings: [{ id: "type-1", text: "Type 1: bare metal" }],
    text: "A conductor leads the orchestra. ESXi runs on bare metal.",
  },
  {
    slug: "cloud",
    title: "Cloud computing",
    summary: "Instances you rent.",
    headings: [{ id: "instances", text: "Instances" }],
    text: "An instance is a virtual machine. The hypervisor is hidden from you.",
  },
];

describe("search", () => {
  it("finds a lesson by a word only in its body, with a snippet and the nearest heading", () => {
    const [result, ...rest] = search(documents, "orchestra");
    expect(rest).toEqual([]);
    expect(result).toMatchObject({ slug: "types" });
    expect(result!.snippet).toContain("orchestra");
  });

  it("ranks title hits above body hits and needs every term", () => {
    expect(search(documents, "hypervisor").map((result) => result.slug)).toEqual([
      "types",
      "cloud",
    ]);
    expect(search(documents, "hypervisor orchestra").map((result) => result.slug)).toEqual([
      "types",
    ]);
    expect(search(documents, "kubernetes")).toEqual([]);
  });

  it("matches word prefixes, ignores case, accents and punctuation", () => {
    expect(search(documents, "INSTANC").map((result) => result.slug)).toEqual(["cloud"]);
    expect(tokenize("Bare-métal, x86!")).toEqual(["bare", "metal", "x86"]);
    expect(search(documents, "  ?! ")).toEqual([]);
  });

  it("matches a word with a letter or two wrong, but not a short one", () => {
    expect(search(documents, "orchestar").map((result) => result.slug)).toEqual(["types"]);
    expect(search(documents, "hypervsior").map((result) => result.slug)).toEqual([
      "types",
      "cloud",
    ]);
    expect(search(documents, "instanse virtal").map((result) => result.slug)).toEqual(["cloud"]);
    // Four letters or fewer must be right: "besa" is not "bare".
    expect(search(documents, "besa")).toEqual([]);
    expect(search(documents, "kubernetes")).toEqual([]);
  });

  it("links the heading that holds a matched word", () => {
    const [result] = search(documents, "metal");
    expect(result).toMatchObject({ slug: "types", heading: { id: "type-1" } });
  });

  it("marks every matched word in the snippet, however the query spelled it", () => {
    const [result] = search(documents, "hypervsior");
    expect(result!.slug).toBe("types");
    const [cloud] = search(documents, "hidden hypervsior");
    const marked = cloud!.marks.map(([from, to]) => cloud!.snippet.slice(from, to));
    expect(marked).toEqual(["hypervisor", "hidden"]);
    const long: SearchDocument = {
      ...documents[0]!,
      slug: "long",
      text: `${"Filler words here. ".repeat(20)}Naïve guests trap. ${"More filler. ".repeat(20)}`,
    };
    const [hit] = search([long], "naive");
    expect(hit!.snippet.startsWith("…") && hit!.snippet.endsWith("…")).toBe(true);
    expect(hit!.snippet.length).toBeLessThanOrEqual(200);
    expect(hit!.marks.map(([from, to]) => hit!.snippet.slice(from, to))).toEqual(["Naïve"]);
  });

  it("copes with a hostile query", () => {
    expect(() => search(documents, "(.*)+$".repeat(1000))).not.toThrow();
  });
});

describe("plainText", () => {
  it("keeps prose and drops markup, components' attributes, code and left-out elements", () => {
    const body =
      '---\ntitle: x\n---\n\n## Title\n\n<Callout type="tip">Some **bold** [link](/x) text</Callout>\n\n' +
      '```sh\nrm -rf /\n```\n\n<Step check="host: running >= 2">Type `yes > /dev/null`</Step>\n\n' +
      "<InstructorNote>\nSecret\n</InstructorNote>\n\n| a | b |\n| - | - |\n| c | d |\n";
    expect(plainText(parseMdx("x.mdx", body), ["InstructorNote"])).toBe(
      "Title Some bold link text Type yes > /dev/null a b c d",
    );
  });
});
