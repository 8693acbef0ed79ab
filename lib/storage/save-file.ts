import { downloadBlob } from "@/lib/download";

/** Where an exported file goes: the browser's downloads, or a test's list. */
export type SaveFile = (blob: Blob, fileName: string) => void;

/** Makes the file's parts one Blob, hands it to `save` and returns its size in bytes. */
export function saveParts(
  parts: Uint8Array[],
  fileName: string,
  save: SaveFile = downloadBlob,
): number {
  const blob = new Blob(parts as BlobPart[], { type: "application/octet-stream" });
  save(blob, fileName);
  return blob.size;
}
