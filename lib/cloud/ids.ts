/** Ids as a cloud console shows them: a prefix and random hex (`i-3f9c0a1b`). */
export function cloudId(prefix: "i" | "img" | "sg" | "rule"): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
