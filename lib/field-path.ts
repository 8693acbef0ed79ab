/**
 * A validation issue's path as a reader can follow it: `progress.steps["lab 1"][0]`.
 * Plain names join with dots; anything else (quotes, spaces, dots, empty) is quoted in brackets,
 * so a key cannot make the path ambiguous or unreadable.
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === "number") return `[${key}]`;
      const name = typeof key === "symbol" ? (key.description ?? "symbol") : key;
      if (/^[A-Za-z_$][\w$/-]*$/.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join("");
}
