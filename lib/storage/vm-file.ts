import { NAME_MAX } from "@/lib/emulator/vm-config";
import { MIB } from "./vm-file-format";

/**
 * VM disk and snapshot files (`.vlabs-disk`, `.vlabs-snapshot`): what the page imports. The
 * format is in vm-file-format.ts, writing in vm-file-encode.ts, reading and every check in
 * vm-file-decode.ts; the names and padding an import needs are here.
 */

export {
  DISK_MAX_BYTES,
  SECTOR_BYTES,
  VM_FILE_EXTENSIONS,
  VM_FILE_HEADER_BYTES,
  VM_FILE_MAGIC,
  VM_FILE_MAX_BYTES,
  VM_FILE_METADATA_MAX_BYTES,
  VM_FILE_VERSION,
  type DiskMetadata,
  type SnapshotMetadata,
  type VmFileContents,
  type VmFileDescription,
  type VmFileExpectations,
  type VmFileKind,
  type VmFileMetadata,
  type VmFileResult,
} from "./vm-file-format";
export { encodeDiskFile, encodeSnapshotFile, encodeVmFile, vmFileName } from "./vm-file-encode";
export { checkVmFileSize, decodeVmFile, readVmFile } from "./vm-file-decode";

/**
 * A VM name for an imported file: from the file's name (its extension and a browser's " (1)"
 * dropped), else the fallback, made valid and different from every existing name.
 */
export function importedVmName(
  fileName: string,
  fallback: string,
  existing: readonly string[],
): string {
  const clean = (text: string) =>
    text
      .replace(/\.vlabs-(disk|snapshot)$/i, "")
      .replace(/\s*\(\d+\)$/, "")
      .replace(/[^A-Za-z0-9_.-]+/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "")
      .replace(/[-.]+$/, "");
  const base = (clean(fileName) || clean(fallback) || "imported").slice(0, NAME_MAX);
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = base.slice(0, NAME_MAX - suffix.length) + suffix;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/**
 * VMs here have disks of whole MiB; a disk of whole sectors made elsewhere gets zeros at its
 * end (no partition reaches past the size it was made with, so nothing moves).
 */
export function padToWholeMib(disk: ArrayBuffer): ArrayBuffer {
  const size = Math.max(MIB, Math.ceil(disk.byteLength / MIB) * MIB);
  if (size === disk.byteLength) return disk;
  const padded = new Uint8Array(size);
  padded.set(new Uint8Array(disk));
  return padded.buffer;
}
