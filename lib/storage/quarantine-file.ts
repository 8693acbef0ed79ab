import type { QuarantineEntry } from "./machine-records";

/**
 * A quarantined entry as a file the learner can keep: JSON with the records exactly as they were
 * stored; binary fields (disk chunks, snapshot bytes) become { "base64": "..." }.
 */

function base64Of(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function quarantineJson(entry: QuarantineEntry): string {
  return JSON.stringify(
    { format: "vlabs-quarantine", version: 1, ...entry },
    (_key, value: unknown) => {
      if (value instanceof ArrayBuffer) return { base64: base64Of(new Uint8Array(value)) };
      if (ArrayBuffer.isView(value))
        return {
          base64: base64Of(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)),
        };
      return value;
    },
    1,
  );
}

export function quarantineFileName(entry: QuarantineEntry): string {
  const what = entry.what.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "");
  return `vlabs-quarantine-${entry.id ?? "entry"}-${what || "record"}.json`;
}
