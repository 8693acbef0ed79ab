import { describe, expect, it } from "vitest";
import { renderHeadersFile, withPolicyMeta } from "../../scripts/export-headers";
import { contentSecurityPolicy, inlineScriptHashes } from "../../scripts/lib/csp";

// The CSP specification's own example: the hash of `alert('Hello, world.');`.
const HELLO = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='";

describe("inlineScriptHashes", () => {
  it("hashes inline scripts as the browser does, and skips scripts with a src", () => {
    const html = `<head><script src="/a.js" async=""></script><script>alert('Hello, world.');</script></head>`;
    expect(inlineScriptHashes(html)).toEqual([HELLO]);
  });

  it("reads attributes with > in quotes, lists a repeated script once, normalizes CRLF", () => {
    const html = [
      `<script id="x" data-note="a > b">alert('Hello, world.');</script>`,
      `<script>alert('Hello, world.');</script>`,
      `<script>a\r\nb</script>`,
      `<script>a\nb</script>`,
    ].join("");
    const hashes = inlineScriptHashes(html);
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toBe(HELLO);
  });

  it("finds none in a page without inline scripts", () => {
    expect(inlineScriptHashes(`<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`)).toEqual([]);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows the listed hashes and WebAssembly, never inline code or eval", () => {
    const policy = contentSecurityPolicy([HELLO]);
    expect(policy).toContain(`script-src 'self' 'wasm-unsafe-eval' ${HELLO};`);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).toContain("object-src 'none'");
  });
});

describe("withPolicyMeta", () => {
  const page = `<!DOCTYPE html><html><head><meta charSet="utf-8"/><script>alert('Hello, world.');</script></head></html>`;

  it("puts the page's policy right after its charset, without frame-ancestors", () => {
    const { html, hashes } = withPolicyMeta(page, "index.html");
    expect(hashes).toEqual([HELLO]);
    expect(html).toMatch(
      /^<!DOCTYPE html><html><head><meta charSet="utf-8"\/><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src [^"]*'sha256-[^"]*"\/><script>/,
    );
    expect(html).not.toContain("frame-ancestors");
  });

  it("replaces the policy of an earlier run instead of adding a second", () => {
    const once = withPolicyMeta(page, "index.html").html;
    expect(withPolicyMeta(once, "index.html").html).toBe(once);
  });

  it("names the page that has no charset to put the policy after", () => {
    expect(() => withPolicyMeta("<html><head></head></html>", "labs/x/index.html")).toThrow(
      /labs\/x\/index\.html/,
    );
  });
});

describe("renderHeadersFile", () => {
  it("gives each page its policy and keeps policies off overlapping rules", () => {
    const text = renderHeadersFile(
      [{ file: "labs/x/index.html", url: "/course/labs/x/", scriptHashes: [HELLO] }],
      "/course",
    );
    const rules = text
      .split("\n\n")
      .filter((block) => block.startsWith("/"))
      .map((block) => block.split("\n"));
    const catchAll = rules.find(([pattern]) => pattern === "/course/*")!;
    expect(catchAll.join("\n")).toContain("X-Content-Type-Options: nosniff");
    expect(catchAll.join("\n")).not.toContain("Content-Security-Policy");
    const page = rules.find(([pattern]) => pattern === "/course/labs/x/")!;
    expect(page[1]).toBe(`  Content-Security-Policy: ${contentSecurityPolicy([HELLO])}`);
  });
});
