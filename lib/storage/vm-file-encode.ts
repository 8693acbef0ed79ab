import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { sha256Hex } from "./sha256";
import {
  KIND_CODES,
  VM_FILE_EXTENSIONS,
  VM_FILE_HEADER_BYTES,
  VM_FILE_MAGIC,
  VM_FILE_METADATA_MAX_BYTES,
  VM_FILE_VERSION,
  metadataSchema,
  pipe,
  type SnapshotMetadata,
  type VmFileDescription,
  type VmFileKind,
} from "./vm-file-format";

/** Writes a disk or a snapshot as a file in the format of vm-file-format.ts. */

/** Header + metadata + payload, ready for `new Blob(parts)`. Throws on a description we could not read back. */
export async function encodeVmFile(
  description: VmFileDescription,
  payload: Uint8Array,
): Promise<Uint8Array[]> {
  const metadata = metadataSchema.parse({
    ...description,
    payloadBytes: payload.byteLength,
    sha256: await sha256Hex(payload),
  });
  const json = new TextEncoder().encode(JSON.stringify(metadata));
  if (json.byteLength > VM_FILE_METADATA_MAX_BYTES) throw new Error("VM file metadata too large");
  const header = new Uint8Array(VM_FILE_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(VM_FILE_MAGIC, 0);
  view.setUint16(8, VM_FILE_VERSION, true);
  header[10] = KIND_CODES[metadata.kind];
  view.setUint32(12, json.byteLength, true);
  header.set(hexBytes(await sha256Hex(json)), 16);
  return [header, json, payload];
}

/** A disk as a file: gzip-compressed where the platform can (every current browser). */
export async function encodeDiskFile(input: {
  name: string;
  disk: ArrayBuffer;
  exportedAt: Date;
}): Promise<Uint8Array[]> {
  const gzip = typeof CompressionStream !== "undefined";
  const payload = gzip
    ? new Uint8Array(await pipe(new Uint8Array(input.disk), new CompressionStream("gzip")))
    : new Uint8Array(input.disk);
  return encodeVmFile(
    {
      kind: "disk",
      name: input.name,
      exportedAt: input.exportedAt.toISOString(),
      diskBytes: input.disk.byteLength,
      encoding: gzip ? "gzip" : "raw",
    },
    payload,
  );
}

/** A snapshot as a file: its data exactly as stored, and how to rebuild its VM. */
export function encodeSnapshotFile(input: {
  snapshot: VmSnapshot;
  vm: SnapshotMetadata["vm"];
  exportedAt: Date;
}): Promise<Uint8Array[]> {
  const s = input.snapshot;
  return encodeVmFile(
    {
      kind: "snapshot",
      name: s.name,
      exportedAt: input.exportedAt.toISOString(),
      v86Version: s.v86Version,
      vmName: s.vmName,
      profile: s.profile as SnapshotMetadata["profile"],
      createdAt: s.createdAt,
      rawBytes: s.rawBytes,
      format: s.format,
      machine: s.machine,
      prompt: s.prompt,
      takeMs: s.takeMs,
      vm: input.vm,
    },
    new Uint8Array(s.data),
  );
}

/** The file name an export is saved under: the VM's (and snapshot's) name and the kind's extension. */
export function vmFileName(kind: VmFileKind, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+/, "") || "vm";
  return `${safe}${VM_FILE_EXTENSIONS[kind]}`;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
}
